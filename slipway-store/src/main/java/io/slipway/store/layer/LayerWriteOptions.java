package io.slipway.store.layer;

import io.slipway.store.compress.Compression;
import java.util.Objects;

/**
 * How {@link LayerWriter} encodes a layer. Immutable.
 *
 * @param compression {@link Compression#NONE}, {@link Compression#GZIP} or {@link Compression#ZSTD}
 * @param level compression level (gzip 0–9, zstd 1–22), negative for the default
 * @param gzipThreads threads for gzip; the bytes written do not depend on it
 * @param timestamps how file times are recorded
 * @param owners which owner is recorded
 * @param ownerNames record owner and group names (host-dependent, so off by default)
 */
public record LayerWriteOptions(
    Compression compression,
    int level,
    int gzipThreads,
    TimestampPolicy timestamps,
    OwnerPolicy owners,
    boolean ownerNames) {

  public LayerWriteOptions {
    Objects.requireNonNull(compression, "compression");
    Objects.requireNonNull(timestamps, "timestamps");
    Objects.requireNonNull(owners, "owners");
    if (!compression.isWritable()) {
      throw new IllegalArgumentException("layers cannot be written as " + compression);
    }
    if (gzipThreads < 1) {
      throw new IllegalArgumentException("gzipThreads must be at least 1");
    }
  }

  /** gzip at the default level on one thread, source times and owners kept, no owner names. */
  public static LayerWriteOptions defaults() {
    return new LayerWriteOptions(
        Compression.GZIP, -1, 1, TimestampPolicy.keep(), OwnerPolicy.keep(), false);
  }

  public LayerWriteOptions withCompression(Compression newCompression, int newLevel) {
    return new LayerWriteOptions(newCompression, newLevel, gzipThreads, timestamps, owners, ownerNames);
  }

  public LayerWriteOptions withGzipThreads(int threads) {
    return new LayerWriteOptions(compression, level, threads, timestamps, owners, ownerNames);
  }

  public LayerWriteOptions withTimestamps(TimestampPolicy policy) {
    return new LayerWriteOptions(compression, level, gzipThreads, policy, owners, ownerNames);
  }

  public LayerWriteOptions withOwners(OwnerPolicy policy) {
    return new LayerWriteOptions(compression, level, gzipThreads, timestamps, policy, ownerNames);
  }

  public LayerWriteOptions withOwnerNames(boolean record) {
    return new LayerWriteOptions(compression, level, gzipThreads, timestamps, owners, record);
  }
}
