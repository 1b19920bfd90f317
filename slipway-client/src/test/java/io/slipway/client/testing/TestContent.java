package io.slipway.client.testing;

import io.slipway.oci.Descriptor;
import io.slipway.oci.ImageIndex;
import io.slipway.oci.ImageManifest;
import io.slipway.oci.ManifestBytes;
import io.slipway.oci.MediaTypes;
import io.slipway.oci.Platform;
import io.slipway.store.blob.BlobStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Small synthetic images for client tests, written into a store or a fake registry. Stateless. */
public final class TestContent {
  private TestContent() {}

  /** An image: its manifest and the blobs it names (config first). */
  public record Image(ManifestBytes manifest, List<byte[]> blobs) {}

  /** Deterministic pseudo-random bytes. */
  public static byte[] bytes(long seed, int size) {
    byte[] out = new byte[size];
    new Random(seed).nextBytes(out);
    return out;
  }

  /** An image with a config and layers of the given sizes, distinct per {@code seed}. */
  public static Image image(long seed, String platform, int... layerSizes) {
    byte[] config = ("{\"architecture\":\"" + Platform.parse(platform).architecture()
        + "\",\"os\":\"linux\",\"seed\":" + seed + ",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}")
        .getBytes(StandardCharsets.UTF_8);
    List<byte[]> blobs = new ArrayList<>();
    blobs.add(config);
    List<Descriptor> layers = new ArrayList<>();
    for (int i = 0; i < layerSizes.length; i++) {
      byte[] layer = bytes(seed * 1000 + i, layerSizes[i]);
      blobs.add(layer);
      layers.add(Descriptor.of(MediaTypes.OCI_LAYER_GZIP, layer));
    }
    ManifestBytes manifest = ManifestBytes.serialize(
        ImageManifest.of(Descriptor.of(MediaTypes.OCI_CONFIG, config), layers));
    return new Image(manifest, blobs);
  }

  /** An index over images, each entry carrying its platform. */
  public static ManifestBytes index(List<Image> images, List<String> platforms) {
    List<Descriptor> entries = new ArrayList<>();
    for (int i = 0; i < images.size(); i++) {
      entries.add(images.get(i).manifest().descriptor().withPlatform(Platform.parse(platforms.get(i))));
    }
    return ManifestBytes.serialize(ImageIndex.of(entries));
  }

  public static void store(BlobStore store, Image image) throws IOException {
    for (byte[] blob : image.blobs()) {
      store.put(new ByteArrayInputStream(blob), io.slipway.oci.Digest.sha256(blob), blob.length);
    }
    store(store, image.manifest());
  }

  public static void store(BlobStore store, ManifestBytes manifest) throws IOException {
    store.put(manifest.openStream(), manifest.digest(), manifest.size());
  }

  public static void serve(FakeRegistry registry, String repository, String tag, Image image) {
    for (byte[] blob : image.blobs()) {
      registry.putBlob(repository, blob);
    }
    registry.putManifest(repository, tag, image.manifest().mediaType(), image.manifest().bytes());
  }
}
