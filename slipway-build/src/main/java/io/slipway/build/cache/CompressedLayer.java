package io.slipway.build.cache;

import io.slipway.oci.Descriptor;
import io.slipway.oci.Digest;
import java.util.Objects;

/**
 * A compressed copy of one of the builder's uncompressed layers, made when an image left the
 * builder: the blob (media type, digest, size), the diff ID it was compressed from and the level
 * asked for (negative: the compression's default). The media type says the compression. Kept in an
 * exported image's record, where a later export with the same settings finds it. Immutable.
 */
public record CompressedLayer(Descriptor blob, Digest diffId, int level) {
  public CompressedLayer {
    Objects.requireNonNull(blob, "blob");
    Objects.requireNonNull(diffId, "diffId");
  }

  /** The layer as an image lists it. */
  public LayerRef layer() {
    return new LayerRef(blob, diffId);
  }
}
