package io.slipway.diff.text;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An input of a text diff could not be used: unreadable, a directory, or larger than a single
 * mapping allows. Carries the path at fault. Immutable.
 */
public final class TextInputException extends IOException {
  private static final long serialVersionUID = 1L;

  /** The input at fault. */
  private final transient Path path;

  public TextInputException(Path path, String reason, Throwable cause) {
    super(path + ": " + reason, cause);
    this.path = path;
  }

  public TextInputException(Path path, String reason) {
    this(path, reason, null);
  }

  /** The input at fault. */
  public Path path() {
    return path;
  }
}
