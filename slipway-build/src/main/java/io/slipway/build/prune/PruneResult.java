package io.slipway.build.prune;

import java.util.List;
import java.util.Optional;

/**
 * What one prune did: the records removed (or, for a dry run, that would be), the bytes their
 * removal frees, and the content sweep that followed (absent for a dry run). Immutable.
 */
public record PruneResult(List<UsageRecord> removed, long freedBytes, Optional<SweepResult> sweep) {
  public PruneResult {
    removed = List.copyOf(removed);
  }
}
