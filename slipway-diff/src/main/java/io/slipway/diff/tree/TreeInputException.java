package io.slipway.diff.tree;

import java.io.IOException;
import java.nio.file.Path;

/** A tree to compare, or a path in it, could not be read. Names the path. Immutable. */
public final class TreeInputException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Path path;

  public TreeInputException(Path path, String reason, Throwable cause) {
    super(path + ": " + reason, cause);
    this.path = path;
  }

  public TreeInputException(Path path, String reason) {
    this(path, reason, null);
  }

  /** The path at fault. */
  public Path path() {
    return path;
  }
}
