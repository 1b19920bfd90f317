package io.slipway.build.prune;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides which records prune policies remove; pure, so policies are tested with fabricated
 * records. Policies apply in order, each to what the previous ones left. Within a policy the
 * records it may remove ({@link PrunePolicy#selects}, not in use, not used within its
 * keep-duration) go least recently used first, ties broken by fewer uses, then age, then id; the
 * policy stops when its caps hold, or before a removal that would take used space below its floor.
 * Removing a record frees only the items no remaining record names. Stateless and thread-safe.
 */
public final class PrunePlanner {

  /** The order records go in: last use, then use count, then creation, then id. */
  public static final Comparator<UsageRecord> ORDER = Comparator
      .comparing(UsageRecord::lastUsed)
      .thenComparingLong(UsageRecord::useCount)
      .thenComparing(UsageRecord::created)
      .thenComparing(UsageRecord::id);

  private PrunePlanner() {}

  /**
   * The plan for {@code policies} over {@code usage} at {@code now}, with {@code freeBytes} free
   * on the root's file system.
   */
  public static PrunePlan plan(DiskUsage usage, List<PrunePolicy> policies, Instant now,
      long freeBytes) {
    Map<ContentItem, Integer> references = usage.references();
    long used = usage.usedBytes();
    long free = freeBytes;
    long freedTotal = 0;
    Set<String> gone = new HashSet<>();
    List<UsageRecord> removed = new ArrayList<>();
    for (PrunePolicy policy : policies) {
      List<UsageRecord> candidates = new ArrayList<>();
      for (UsageRecord record : usage.records()) {
        if (!gone.contains(record.id()) && !record.inUse() && policy.selects(record)
            && oldEnough(record, policy, now)) {
          candidates.add(record);
        }
      }
      candidates.sort(ORDER);
      for (UsageRecord record : candidates) {
        if (policy.capped() && capsHold(policy, used, free)) {
          break;
        }
        long freed = 0;
        for (ContentItem item : record.items()) {
          if (references.getOrDefault(item, 0) == 1) {
            freed += item.size();
          }
        }
        if (policy.reservedSpace().isPresent()
            && used - freed < policy.reservedSpace().getAsLong()) {
          break;
        }
        for (ContentItem item : record.items()) {
          references.merge(item, -1, Integer::sum);
        }
        used -= freed;
        free += freed;
        freedTotal += freed;
        gone.add(record.id());
        removed.add(record);
      }
    }
    return new PrunePlan(removed, freedTotal);
  }

  private static boolean oldEnough(UsageRecord record, PrunePolicy policy, Instant now) {
    // Used within the keep-duration (strictly after now minus it): kept.
    return policy.keepDuration().isEmpty()
        || !record.lastUsed().isAfter(now.minus(policy.keepDuration().get()));
  }

  private static boolean capsHold(PrunePolicy policy, long used, long free) {
    return (policy.maxUsedSpace().isEmpty() || used <= policy.maxUsedSpace().getAsLong())
        && (policy.minFreeSpace().isEmpty() || free >= policy.minFreeSpace().getAsLong());
  }
}
