package io.slipway.build.run;

import java.time.Duration;
import java.util.Objects;

/**
 * A RUN step that exited 0: its changes (now at the request's destination, owned by the caller)
 * and how long the process ran. Immutable.
 */
public record ExecResult(LayerChanges changes, Duration elapsed) {

  public ExecResult {
    Objects.requireNonNull(changes, "changes");
    Objects.requireNonNull(elapsed, "elapsed");
  }
}
