package io.slipway.build.prune;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One prune policy, from {@code slipway prune}'s flags or one entry of the builder configuration's
 * {@code gc.policies}. docs/prune.md states the semantics; in short:
 *
 * <ul>
 *   <li>{@code filters} and {@code all} choose which records the policy may remove: without
 *       {@code all}, layer records only, unless a {@code type} filter names another type;
 *   <li>{@code keepDuration}: records used more recently than this are never removed;
 *   <li>{@code reservedSpace} is a floor: the policy never brings used space below it;
 *   <li>{@code maxUsedSpace} and {@code minFreeSpace} are caps: when set, the policy acts only
 *       while used space is above the one or free space below the other, and stops as soon as
 *       both hold; without either, it removes every record it may.
 * </ul>
 *
 * Immutable.
 */
public record PrunePolicy(List<RecordFilter> filters, Optional<Duration> keepDuration,
    OptionalLong reservedSpace, OptionalLong maxUsedSpace, OptionalLong minFreeSpace,
    boolean all) {

  public PrunePolicy {
    filters = List.copyOf(filters);
    Objects.requireNonNull(keepDuration, "keepDuration");
    if (keepDuration.isPresent() && keepDuration.get().isNegative()) {
      throw new IllegalArgumentException("keep-duration must not be negative: "
          + keepDuration.get());
    }
    check("reserved-space", reservedSpace);
    check("max-used-space", maxUsedSpace);
    check("min-free-space", minFreeSpace);
  }

  private static void check(String name, OptionalLong value) {
    Objects.requireNonNull(value, name);
    if (value.isPresent() && value.getAsLong() < 0) {
      throw new IllegalArgumentException(name + " must not be negative: " + value.getAsLong());
    }
  }

  /** Removes every layer record not in use: what {@code slipway prune} does without flags. */
  public static PrunePolicy unusedLayers() {
    return new PrunePolicy(List.of(), Optional.empty(), OptionalLong.empty(),
        OptionalLong.empty(), OptionalLong.empty(), false);
  }

  /** A copy with {@code filter} added. */
  public PrunePolicy withFilter(RecordFilter filter) {
    List<RecordFilter> more = new ArrayList<>(filters);
    more.add(filter);
    return new PrunePolicy(more, keepDuration, reservedSpace, maxUsedSpace, minFreeSpace, all);
  }

  /** A copy keeping records used within {@code value}. */
  public PrunePolicy withKeepDuration(Duration value) {
    return new PrunePolicy(filters, Optional.of(value), reservedSpace, maxUsedSpace, minFreeSpace,
        all);
  }

  /** A copy with the floor {@code bytes}. */
  public PrunePolicy withReservedSpace(long bytes) {
    return new PrunePolicy(filters, keepDuration, OptionalLong.of(bytes), maxUsedSpace,
        minFreeSpace, all);
  }

  /** A copy with the used-space cap {@code bytes}. */
  public PrunePolicy withMaxUsedSpace(long bytes) {
    return new PrunePolicy(filters, keepDuration, reservedSpace, OptionalLong.of(bytes),
        minFreeSpace, all);
  }

  /** A copy with the free-space target {@code bytes}. */
  public PrunePolicy withMinFreeSpace(long bytes) {
    return new PrunePolicy(filters, keepDuration, reservedSpace, maxUsedSpace,
        OptionalLong.of(bytes), all);
  }

  /** A copy considering every record type ({@code value} true) or layers only. */
  public PrunePolicy withAll(boolean value) {
    return new PrunePolicy(filters, keepDuration, reservedSpace, maxUsedSpace, minFreeSpace,
        value);
  }

  /** Whether the policy has a cap, so it removes only until the cap holds. */
  public boolean capped() {
    return maxUsedSpace.isPresent() || minFreeSpace.isPresent();
  }

  /** Whether this policy may consider {@code record} at all (type and filters; not age or use). */
  public boolean selects(UsageRecord record) {
    boolean typeNamed = filters.stream().anyMatch(f -> f.field() == RecordFilter.Field.TYPE);
    if (!all && !typeNamed && record.type() != RecordType.LAYER) {
      return false;
    }
    return filters.stream().allMatch(f -> f.matches(record));
  }
}
