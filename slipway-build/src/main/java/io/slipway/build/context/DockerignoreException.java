package io.slipway.build.context;

/**
 * A {@code .dockerignore} line that is not a valid pattern, such as an unclosed {@code [}. Names the
 * file and line. Immutable.
 */
public final class DockerignoreException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String file;
  private final int line;
  private final String pattern;

  public DockerignoreException(String file, int line, String pattern, String detail) {
    super(file + ":" + line + ": " + detail + " in pattern \"" + pattern + "\"");
    this.file = file;
    this.line = line;
    this.pattern = pattern;
  }

  /** The ignore file's name. */
  public String file() {
    return file;
  }

  /** 1-based line of the bad pattern. */
  public int line() {
    return line;
  }

  /** The pattern as written. */
  public String pattern() {
    return pattern;
  }
}
