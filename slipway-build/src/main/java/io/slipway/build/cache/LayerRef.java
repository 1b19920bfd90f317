package io.slipway.build.cache;

import io.slipway.oci.Descriptor;
import io.slipway.oci.Digest;
import java.util.Objects;

/**
 * One layer of a solved file system: the blob as stored (media type, digest, size) and its diff ID
 * (the digest of the uncompressed tar, what an image config lists). Immutable.
 */
public record LayerRef(Descriptor blob, Digest diffId) {
  public LayerRef {
    Objects.requireNonNull(blob, "blob");
    Objects.requireNonNull(diffId, "diffId");
  }
}
