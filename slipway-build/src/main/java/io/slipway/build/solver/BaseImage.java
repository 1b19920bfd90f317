package io.slipway.build.solver;

import io.slipway.build.cache.LayerRef;
import io.slipway.oci.Descriptor;
import io.slipway.oci.ImageConfig;
import java.util.List;
import java.util.Objects;

/**
 * A base image whose manifest, config and layers are in the content store: the root it was
 * resolved from (the manifest itself, or the index the manifest was chosen from), the pinned
 * manifest, the config blob and its parsed value, the layers with their diff IDs, base first, and
 * {@code metadataBlobs}: every blob of the image's tree the store held when it was loaded except
 * the chosen manifest's layers (which cache records keep), so the builder can record what it
 * fetched. Immutable.
 */
public record BaseImage(Descriptor root, Descriptor manifest, Descriptor config,
    ImageConfig configValue, List<LayerRef> layers, List<Descriptor> metadataBlobs) {
  public BaseImage {
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(manifest, "manifest");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(configValue, "configValue");
    layers = List.copyOf(layers);
    metadataBlobs = List.copyOf(metadataBlobs);
  }
}
