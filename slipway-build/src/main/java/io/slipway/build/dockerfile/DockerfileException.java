package io.slipway.build.dockerfile;

import java.util.Objects;

/**
 * A Dockerfile that cannot be parsed or turned into a build graph. Carries the file name, the
 * location (line and column) and the offending text, so that the message can point the user at the
 * exact spot: {@code Dockerfile:12:5: unknown instruction: FRM (did you mean FROM?) in "FRM alpine"}.
 *
 * <p>{@link #kind()} lets callers act on the class of error without parsing the message. Immutable
 * and therefore safe to share between threads.
 */
public final class DockerfileException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** The classes of Dockerfile error; each has its own message. Immutable. */
  public enum Kind {
    /** A parser directive that is repeated or has a bad value, such as {@code # escape=x}. */
    INVALID_DIRECTIVE,
    /** A keyword that is not a Dockerfile instruction. */
    UNKNOWN_INSTRUCTION,
    /** A flag the instruction does not take, or one with a missing or malformed value. */
    MALFORMED_FLAG,
    /** A heredoc whose terminator line never came. */
    UNTERMINATED_HEREDOC,
    /** A {@code ${name:?message}} or {@code ${name?message}} expansion of an unset variable. */
    UNDEFINED_REQUIRED_VARIABLE,
    /** A variable expansion that is not well formed, such as {@code ${name} with no closing brace}. */
    BAD_SUBSTITUTION,
    /** Arguments an instruction does not accept: too few, too many, or of the wrong shape. */
    INVALID_ARGUMENTS,
    /** A stage reference that cannot be resolved, a cycle between stages, or an unknown target. */
    INVALID_STAGE,
    /** A Dockerfile with no FROM, or instructions before the first FROM other than ARG. */
    NO_STAGE
  }

  private final Kind kind;
  private final String file;
  private final Location location;
  private final String offendingText;
  private final String detail;

  public DockerfileException(
      Kind kind, String file, Location location, String offendingText, String detail) {
    super(format(file, location, offendingText, detail));
    this.kind = Objects.requireNonNull(kind, "kind");
    this.file = Objects.requireNonNull(file, "file");
    this.location = Objects.requireNonNull(location, "location");
    this.offendingText = Objects.requireNonNull(offendingText, "offendingText");
    this.detail = Objects.requireNonNull(detail, "detail");
  }

  private static String format(String file, Location location, String text, String detail) {
    StringBuilder message = new StringBuilder();
    message.append(file).append(':').append(location.line()).append(':').append(location.column());
    message.append(": ").append(detail);
    if (!text.isEmpty()) {
      message.append(" in \"").append(text.strip()).append('"');
    }
    return message.toString();
  }

  /** What class of error this is. */
  public Kind kind() {
    return kind;
  }

  /** The Dockerfile's name as given to the parser, such as {@code Dockerfile}. */
  public String file() {
    return file;
  }

  /** Where the error is. */
  public Location location() {
    return location;
  }

  /** 1-based line of the error. */
  public int line() {
    return location.line();
  }

  /** 1-based column of the error. */
  public int column() {
    return location.column();
  }

  /** The text at fault, as written in the Dockerfile (the instruction line or the flag). */
  public String offendingText() {
    return offendingText;
  }

  /** The message without the location prefix and the quoted text. */
  public String detail() {
    return detail;
  }
}
