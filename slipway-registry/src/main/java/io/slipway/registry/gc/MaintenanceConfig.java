package io.slipway.registry.gc;

import java.time.Duration;
import java.util.Objects;

/**
 * How a running registry keeps its state: the garbage collection policy and schedule, and how
 * long a shutdown lets requests in flight finish before cancelling them. Immutable.
 *
 * @param gc what GC may delete and how often it runs on its own
 * @param shutdownTimeout how long SIGTERM waits for in-flight requests (uploads above all)
 */
public record MaintenanceConfig(GcPolicy gc, Duration shutdownTimeout) {

  /** 30 seconds, as {@code --shutdown-timeout} defaults to. */
  public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

  public MaintenanceConfig {
    Objects.requireNonNull(gc, "gc");
    Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
    if (shutdownTimeout.isNegative()) {
      throw new IllegalArgumentException("shutdown timeout must not be negative: " + shutdownTimeout);
    }
  }

  /** {@link GcPolicy#defaults()} and a 30 second shutdown. */
  public static MaintenanceConfig defaults() {
    return new MaintenanceConfig(GcPolicy.defaults(), DEFAULT_SHUTDOWN_TIMEOUT);
  }

  public MaintenanceConfig withGc(GcPolicy policy) {
    return new MaintenanceConfig(policy, shutdownTimeout);
  }

  public MaintenanceConfig withShutdownTimeout(Duration timeout) {
    return new MaintenanceConfig(gc, timeout);
  }
}
