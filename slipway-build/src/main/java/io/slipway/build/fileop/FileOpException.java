package io.slipway.build.fileop;

import java.io.IOException;

/**
 * A COPY, ADD or WORKDIR that cannot be carried out as written: a source that does not exist, a
 * wildcard that matches nothing, a user or group the target does not know, a path that would leave
 * the root. The message names the path at fault. Immutable.
 */
public final class FileOpException extends IOException {
  private static final long serialVersionUID = 1L;

  /** An error with a message naming the path and what to do. */
  public FileOpException(String message) {
    super(message);
  }
}
