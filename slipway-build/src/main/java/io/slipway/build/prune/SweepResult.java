package io.slipway.build.prune;

/**
 * What one content sweep deleted, and whether it had to leave content for later because a build
 * was running. Immutable.
 *
 * @param pendingLeft condemned blobs and cache directories still waiting after this sweep
 */
public record SweepResult(int blobs, int trees, int cacheMounts, long bytes, boolean deferred,
    int pendingLeft) {

  /** Nothing deleted, everything left for later. */
  static SweepResult deferred(int pending) {
    return new SweepResult(0, 0, 0, 0, true, pending);
  }
}
