package io.slipway.registry.gc;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What registry garbage collection may delete, and how often it runs on its own. Immutable.
 *
 * @param linkGrace a blob pushed to (or mounted into) a repository but referenced by none of its
 *     manifests keeps its link this long after the push, so a client can push layers now and the
 *     manifest later; distribution's default of an hour
 * @param unlinkedGrace a blob file no record mentions at all is kept this long after it was
 *     written, which protects writers in other processes sharing the store (pushes in this process
 *     are protected by {@link BlobPins} whatever the grace)
 * @param untagged retention rules for untagged manifests, first match wins; a repository no rule
 *     matches keeps every untagged manifest
 * @param every how often the registry collects on its own; zero for never
 */
public record GcPolicy(
    Duration linkGrace, Duration unlinkedGrace, List<RetentionRule> untagged, Duration every) {

  /** One hour, as {@link #defaults()} uses for both grace periods. */
  public static final Duration DEFAULT_GRACE = Duration.ofHours(1);

  public GcPolicy {
    Objects.requireNonNull(linkGrace, "linkGrace");
    Objects.requireNonNull(unlinkedGrace, "unlinkedGrace");
    Objects.requireNonNull(every, "every");
    untagged = List.copyOf(untagged);
    if (linkGrace.isNegative() || unlinkedGrace.isNegative() || every.isNegative()) {
      throw new IllegalArgumentException("GC durations must not be negative");
    }
  }

  /** An hour's grace for both kinds of unreferenced blob, every untagged manifest kept, no schedule. */
  public static GcPolicy defaults() {
    return new GcPolicy(DEFAULT_GRACE, DEFAULT_GRACE, List.of(), Duration.ZERO);
  }

  /** The first rule matching {@code repository}. */
  public Optional<RetentionRule> ruleFor(String repository) {
    return untagged.stream().filter(rule -> rule.matches(repository)).findFirst();
  }

  public GcPolicy withLinkGrace(Duration grace) {
    return new GcPolicy(grace, unlinkedGrace, untagged, every);
  }

  public GcPolicy withUnlinkedGrace(Duration grace) {
    return new GcPolicy(linkGrace, grace, untagged, every);
  }

  public GcPolicy withUntagged(List<RetentionRule> rules) {
    return new GcPolicy(linkGrace, unlinkedGrace, rules, every);
  }

  public GcPolicy withEvery(Duration interval) {
    return new GcPolicy(linkGrace, unlinkedGrace, untagged, interval);
  }
}
