package io.slipway.build.prune;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Automatic garbage collection after builds, from the builder configuration's {@code gc} section:
 * whether it runs, at most how often (the last run is recorded in the build database, so the
 * interval holds across processes), and the policies it applies. Immutable.
 */
public record GcSettings(boolean enabled, Duration interval, List<PrunePolicy> policies) {

  /** Default: at most every 10 minutes. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(10);

  public GcSettings {
    Objects.requireNonNull(interval, "interval");
    if (interval.isNegative()) {
      throw new IllegalArgumentException("gc interval must not be negative: " + interval);
    }
    policies = List.copyOf(policies);
  }

  /**
   * The defaults (docs/prune.md): layer records unused for 30 days go; and once the cache uses more
   * than 20 GiB, anything unused for two days goes, least recently used first, until it is back
   * under 20 GiB.
   */
  public static GcSettings defaults() {
    return new GcSettings(true, DEFAULT_INTERVAL, defaultPolicies());
  }

  /** The policies of {@link #defaults()}. */
  public static List<PrunePolicy> defaultPolicies() {
    return List.of(
        PrunePolicy.unusedLayers().withKeepDuration(Duration.ofDays(30)),
        PrunePolicy.unusedLayers().withAll(true).withKeepDuration(Duration.ofDays(2))
            .withMaxUsedSpace(20L << 30));
  }
}
