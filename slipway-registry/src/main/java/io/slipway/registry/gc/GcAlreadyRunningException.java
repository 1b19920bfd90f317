package io.slipway.registry.gc;

import java.nio.file.Path;

/** A collection was asked for while another one of the same registry was running. Immutable. */
public final class GcAlreadyRunningException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public GcAlreadyRunningException(Path root) {
    super("garbage collection of " + root + " is already running; try again when it ends");
  }
}
