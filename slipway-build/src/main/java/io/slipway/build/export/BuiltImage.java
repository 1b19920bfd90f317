package io.slipway.build.export;

import io.slipway.build.cache.LayerRef;
import io.slipway.oci.Descriptor;
import io.slipway.oci.ImageConfig;
import java.util.List;
import java.util.Objects;

/**
 * An image the build produced, with its manifest, config and layers already in the content store.
 * Immutable.
 */
public record BuiltImage(Descriptor manifest, Descriptor config, ImageConfig configValue,
    List<LayerRef> layers) {
  public BuiltImage {
    Objects.requireNonNull(manifest, "manifest");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(configValue, "configValue");
    layers = List.copyOf(layers);
  }
}
