package io.slipway.build.run;

import java.util.Objects;

/**
 * A RUN step that did not produce a layer, with the instruction it came from. Either the process
 * ran and failed ({@link RunFailedException}) or the step could not be set up
 * ({@link RunSetupException}). In both cases nothing of the step was recorded. Immutable.
 */
public abstract sealed class RunException extends Exception
    permits RunFailedException, RunSetupException {

  private static final long serialVersionUID = 1L;

  private final transient StepOrigin origin;

  RunException(StepOrigin origin, String message, Throwable cause) {
    super(origin.location() + ": " + origin.description() + ": " + message, cause);
    this.origin = Objects.requireNonNull(origin, "origin");
  }

  /** The instruction the step came from. */
  public StepOrigin origin() {
    return origin;
  }
}
