package io.slipway.build.prune;

import java.util.List;

/**
 * The records a set of policies removes, in the order they go, and the bytes that frees
 * (content only those records named). Immutable.
 */
public record PrunePlan(List<UsageRecord> records, long freedBytes) {
  public PrunePlan {
    records = List.copyOf(records);
  }
}
