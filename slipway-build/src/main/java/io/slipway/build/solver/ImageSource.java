package io.slipway.build.solver;

import io.slipway.build.cache.LayerRef;
import io.slipway.client.ManifestGraph;
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
    return new BaseImage(root, bytes.descriptor(), image.config(), config, layers,
        storedTree(store, root, image.layers()));
  }

  /**
   * Every blob under {@code root} that {@code store} holds, root included, except {@code
   * chosenLayers}: an OCI layout import brings every platform of an index, a registry pull only
   * one, and the builder must account for whatever it brought.
   */
  private static List<Descriptor> storedTree(BlobStore store, Descriptor root,
      List<Descriptor> chosenLayers) throws IOException {
    java.util.Set<io.slipway.oci.Digest> skip = new java.util.HashSet<>();
    chosenLayers.forEach(layer -> skip.add(layer.digest()));
    java.util.Map<io.slipway.oci.Digest, Descriptor> found = new java.util.LinkedHashMap<>();
    java.util.ArrayDeque<Descriptor> work = new java.util.ArrayDeque<>(List.of(root));
    while (!work.isEmpty()) {
      Descriptor node = work.poll();
      if (skip.contains(node.digest()) || found.containsKey(node.digest())
          || !store.exists(node.digest())) {
        continue;
      }
      found.put(node.digest(), node);
      if (MediaTypes.isManifest(node.mediaType())) {
        work.addAll(ManifestGraph.children(read(store, node)));
      }
    }
    return List.copyOf(found.values());
  }

  private static ManifestBytes read(BlobStore store, Descriptor descriptor) throws IOException {
    try (InputStream in = store.openVerified(descriptor.digest())) {
      return ManifestBytes.of(in.readAllBytes(), descriptor.mediaType());
    }
  }
}
