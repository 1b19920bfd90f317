package io.slipway.client;

import io.slipway.oci.Digest;

/**
 * Hears about blob transfers, for progress displays. Called from many transfer threads at once,
 * so implementations must be thread-safe and quick.
 */
public interface TransferListener {
  /**
   * A transfer of {@code size} bytes begins ({@code action}: "pull", "push", "mount", "exists", or
   * "link" when a registry sharing the content store takes the blob without its bytes).
   */
  default void started(Digest digest, long size, String action) {}

  /** {@code bytes} more bytes of {@code digest} moved. */
  default void progressed(Digest digest, long bytes) {}

  /** The transfer of {@code digest} finished. */
  default void finished(Digest digest) {}

  /** A listener that ignores everything. */
  static TransferListener none() {
    return new TransferListener() {};
  }
}
