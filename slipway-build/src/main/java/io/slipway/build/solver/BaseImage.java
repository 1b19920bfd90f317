package io.slipway.build.solver;

import io.slipway.build.cache.LayerRef;
import io.slipway.oci.Descriptor;
import io.slipway.oci.ImageConfig;
import java.util.List;
import java.util.Objects;

/**
 * A base image whose manifest, config and layers are in the content store: the pinned manifest,
 * the config blob and its parsed value, and the layers with their diff IDs, base first. Immutable.
 */
public record BaseImage(Descriptor manifest, Descriptor config, ImageConfig configValue,
    List<LayerRef> layers) {
  public BaseImage {
    Objects.requireNonNull(manifest, "manifest");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(configValue, "configValue");
    layers = List.copyOf(layers);
  }
}
