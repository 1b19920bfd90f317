package io.slipway.diff.structured;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A document could not be read or parsed. Names the file and, for syntax errors, the line and
 * column. Immutable.
 */
public final class StructuredInputException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Path path;
  private final long line;
  private final long column;

  public StructuredInputException(Path path, long line, long column, String reason, Throwable cause) {
    super(path + (line > 0 ? ":" + line + ":" + column : "") + ": " + reason, cause);
    this.path = path;
    this.line = line;
    this.column = column;
  }

  /** The file at fault. */
  public Path path() {
    return path;
  }

  /** 1-based line of a syntax error, or 0 when the file could not be read at all. */
  public long line() {
    return line;
  }

  /** 1-based column of a syntax error, or 0. */
  public long column() {
    return column;
  }
}
