package io.slipway.store.layer;

import io.slipway.oci.Digest;
import io.slipway.store.compress.Compression;
import java.util.Objects;

/**
 * The identity of a written layer: its diff ID (sha256 of the uncompressed tar, what an image
 * config's {@code rootfs.diff_ids} lists) and the digest and size of the blob as stored (what a
 * manifest's layer descriptor names). Immutable.
 */
public record LayerDigests(
    Compression compression, Digest diffId, long uncompressedSize, Digest digest, long size) {

  public LayerDigests {
    Objects.requireNonNull(compression, "compression");
    Objects.requireNonNull(diffId, "diffId");
    Objects.requireNonNull(digest, "digest");
  }

  /** The OCI media type of the blob, such as {@code application/vnd.oci.image.layer.v1.tar+gzip}. */
  public String mediaType() {
    return compression.layerMediaType();
  }
}
