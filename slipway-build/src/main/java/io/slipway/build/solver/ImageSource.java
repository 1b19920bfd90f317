package io.slipway.build.solver;

import io.slipway.build.cache.LayerRef;
import io.slipway.client.RegistryClient;
import io.slipway.oci.Descriptor;
import io.slipway.oci.ImageConfig;
import io.slipway.oci.ImageManifest;
import io.slipway.oci.ManifestBytes;
import io.slipway.oci.MediaTypes;
import io.slipway.oci.Platform;
import io.slipway.store.blob.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Where base images come from: a registry (through the {@link RegistryClient}), an OCI layout, or
 * a chain of such sources. A source leaves the image's manifest, config and layers in the content
 * store and returns them pinned. Implementations must be safe for concurrent use.
 */
@FunctionalInterface
public interface ImageSource {

  /** Loads {@code reference} for {@code platform} into the store. */
  BaseImage load(String reference, Platform platform) throws IOException, InterruptedException;

  /**
   * Reads an image whose manifest (an image manifest, or an index narrowed to {@code platform})
   * is already in {@code store} with everything it names.
   */
  static BaseImage fromStore(BlobStore store, Descriptor root, Platform platform,
      String reference) throws IOException {
    Descriptor manifest = root;
    ManifestBytes bytes = read(store, manifest);
    if (MediaTypes.isIndex(bytes.mediaType())) {
      manifest = bytes.index().select(platform).orElseThrow(() -> new IOException(
          "image " + reference + " has no manifest for platform " + platform));
      bytes = read(store, manifest);
    }
    ImageManifest image = bytes.imageManifest();
    byte[] configBytes;
    try (InputStream in = store.openVerified(image.config().digest())) {
      configBytes = in.readAllBytes();
    }
    ImageConfig config = ImageConfig.parse(configBytes);
    List<io.slipway.oci.Digest> diffIds = config.diffIds();
    if (diffIds.size() != image.layers().size()) {
      throw new IOException("image " + reference + " lists " + image.layers().size()
          + " layers but its config has " + diffIds.size() + " diff IDs");
    }
    List<LayerRef> layers = new ArrayList<>();
    for (int i = 0; i < diffIds.size(); i++) {
      layers.add(new LayerRef(image.layers().get(i), diffIds.get(i)));
    }
    return new BaseImage(root, bytes.descriptor(), image.config(), config, layers);
  }

  private static ManifestBytes read(BlobStore store, Descriptor descriptor) throws IOException {
    try (InputStream in = store.openVerified(descriptor.digest())) {
      return ManifestBytes.of(in.readAllBytes(), descriptor.mediaType());
    }
  }
}
