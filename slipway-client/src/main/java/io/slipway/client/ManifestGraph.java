package io.slipway.client;

import io.slipway.oci.Descriptor;
import io.slipway.oci.ImageIndex;
import io.slipway.oci.ImageManifest;
import io.slipway.oci.InvalidManifestException;
import io.slipway.oci.ManifestBytes;
import io.slipway.oci.MediaTypes;
import io.slipway.oci.UnknownManifest;
import io.slipway.store.blob.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The graph under a manifest: an index's manifests, an image's config and layers. Stateless.
 */
public final class ManifestGraph {
  private ManifestGraph() {}

  /** What a manifest refers to directly: an index's manifests, or an image's config and layers. */
  public static List<Descriptor> children(ManifestBytes manifest) throws UnsupportedContentException {
    try {
      return switch (manifest.manifest()) {
        case ImageIndex index -> index.manifests();
        case ImageManifest image -> {
          List<Descriptor> blobs = new ArrayList<>();
          blobs.add(image.config());
          blobs.addAll(image.layers());
          yield blobs;
        }
        case UnknownManifest unknown -> throw new UnsupportedContentException("manifest "
            + manifest.digest() + " has unsupported media type " + manifest.mediaType());
      };
    } catch (InvalidManifestException e) {
      throw new UnsupportedContentException("manifest " + manifest.digest() + " cannot be read: "
          + e.getMessage());
    }
  }

  /**
   * Every descriptor reachable from {@code root} in {@code store}, root included, children before
   * their parents and each digest once.
   */
  public static List<Descriptor> walk(BlobStore store, Descriptor root, long maxManifestSize)
      throws IOException {
    Map<String, Descriptor> seen = new LinkedHashMap<>();
    visit(store, root, maxManifestSize, seen);
    return List.copyOf(seen.values());
  }

  private static void visit(BlobStore store, Descriptor node, long limit,
      Map<String, Descriptor> seen) throws IOException {
    if (seen.containsKey(node.digest().toString())) {
      return;
    }
    if (MediaTypes.isManifest(node.mediaType())) {
      if (node.size() > limit) {
        throw new UnsupportedContentException("manifest " + node.digest() + " is " + node.size()
            + " bytes, over the limit of " + limit);
      }
      ManifestBytes manifest;
      try (InputStream in = store.openVerified(node.digest())) {
        manifest = ManifestBytes.of(in.readAllBytes(), node.mediaType(), node.digest().algorithm());
      }
      for (Descriptor child : children(manifest)) {
        visit(store, child, limit, seen);
      }
    }
    seen.put(node.digest().toString(), node);
  }
}
