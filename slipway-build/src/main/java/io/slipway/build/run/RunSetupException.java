package io.slipway.build.run;

/**
 * A RUN step that could not start: an unknown user, a required secret or SSH agent that the build
 * was not given, {@code --security=insecure} without the entitlement, a mount source missing from
 * its input. The message says which and what to do. Immutable.
 */
public final class RunSetupException extends RunException {

  private static final long serialVersionUID = 1L;

  RunSetupException(StepOrigin origin, String message, Throwable cause) {
    super(origin, message, cause);
  }
}
