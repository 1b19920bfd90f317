package io.slipway.build.solver;

import io.slipway.build.cache.LayerRef;
import io.slipway.oci.Descriptor;
import io.slipway.oci.ImageConfig;
import java.util.List;
import java.util.Objects;

/**
 * A base image whose manifest, config and layers are in the content store: the root it was
 * resolved from (the manifest itself, or the index the manifest was chosen from), the pinned
 * manifest, the config blob and its parsed value, and the layers with their diff IDs, base first.
 * Immutable.
 */
public record BaseImage(Descriptor root, Descriptor manifest, Descriptor config,
    ImageConfig configValue, List<LayerRef> layers) {
  public BaseImage {
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(manifest, "manifest");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(configValue, "configValue");
    layers = List.copyOf(layers);
  }

  /** The metadata blobs the builder keeps for it: root (when an index), manifest and config. */
  public List<Descriptor> metadataBlobs() {
    return root.digest().equals(manifest.digest())
        ? List.of(manifest, config) : List.of(root, manifest, config);
  }
}
