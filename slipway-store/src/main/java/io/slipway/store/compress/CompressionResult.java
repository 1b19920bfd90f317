package io.slipway.store.compress;

import io.slipway.oci.Digest;
import java.util.Objects;

/**
 * What one streaming compression pass produced: the digest and size of the uncompressed bytes
 * (for a layer, its diff ID) and of the compressed bytes (the blob a manifest names). Immutable.
 */
public record CompressionResult(
    Compression compression,
    Digest uncompressedDigest,
    long uncompressedSize,
    Digest compressedDigest,
    long compressedSize) {

  public CompressionResult {
    Objects.requireNonNull(compression, "compression");
    Objects.requireNonNull(uncompressedDigest, "uncompressedDigest");
    Objects.requireNonNull(compressedDigest, "compressedDigest");
  }
}
