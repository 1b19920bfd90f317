package io.slipway.diff.image;

import io.slipway.oci.Descriptor;
import io.slipway.oci.Digest;
import io.slipway.oci.ImageConfig;
import io.slipway.oci.ImageManifest;
import io.slipway.oci.ManifestBytes;
import io.slipway.oci.MediaTypes;
import io.slipway.oci.Platform;
import io.slipway.store.layer.EntryAttributes;
import io.slipway.store.layer.LayerEntry;
import io.slipway.store.layer.LayerTarWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Writes small OCI image layouts for image diff tests, with layers made by Slipway's own layer
 * codec (so whiteouts and opaque markers are exactly what the reader decodes). Each call writes
 * its own directory; safe for concurrent use.
 */
public final class ImageLayouts {
  private static final Instant TIME = Instant.parse("2024-01-01T00:00:00Z");

  private ImageLayouts() {}

  /** Builds one layer's entries. Confined to the test thread. */
  public static final class Layer {
    private final ByteArrayOutputStream tar = new ByteArrayOutputStream();
    private final LayerTarWriter writer = new LayerTarWriter(tar, TIME);

    public Layer dir(String path) {
      return entry(new LayerEntry.Directory(path, EntryAttributes.DEFAULT_DIRECTORY.withMtime(TIME)));
    }

    public Layer file(String path, String content) {
      return file(path, content, 0644);
    }

    public Layer file(String path, String content, int mode) {
      byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
      try {
        writer.write(new LayerEntry.File(path, EntryAttributes.ofMode(mode).withMtime(TIME), bytes.length),
            new ByteArrayInputStream(bytes));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }

    public Layer symlink(String path, String target) {
      return entry(new LayerEntry.Symlink(path, EntryAttributes.ofMode(0777).withMtime(TIME), target));
    }

    public Layer whiteout(String path) {
      return entry(new LayerEntry.Whiteout(path));
    }

    public Layer opaque(String dir) {
      return entry(new LayerEntry.OpaqueMarker(dir));
    }

    private Layer entry(LayerEntry entry) {
      try {
        writer.write(entry);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }

    byte[] tar() throws IOException {
      writer.finish();
      return tar.toByteArray();
    }
  }

  public static Layer layer() {
    return new Layer();
  }

  /**
   * Writes a linux/amd64 image with {@code run} and gzip layers into a new layout at {@code dir},
   * named {@code tag} in its index; returns the manifest.
   */
  public static ManifestBytes write(Path dir, String tag, ImageConfig.RunConfig run, List<Layer> layers)
      throws IOException {
    Files.createDirectories(dir.resolve("blobs/sha256"));
    Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    ImageConfig config = ImageConfig.of(Platform.of("linux", "amd64")).withConfig(run);
    List<Descriptor> descriptors = new ArrayList<>();
    for (Layer layer : layers) {
      byte[] tar = layer.tar();
      ByteArrayOutputStream gz = new ByteArrayOutputStream();
      try (OutputStream out = new GZIPOutputStream(gz)) {
        out.write(tar);
      }
      byte[] blob = gz.toByteArray();
      descriptors.add(Descriptor.of(MediaTypes.OCI_LAYER_GZIP, blob));
      blob(dir, blob);
      config = config.withLayer(Digest.sha256(tar), ImageConfig.History.of(TIME, "test"));
    }
    byte[] configBytes = config.toBytes();
    blob(dir, configBytes);
    ManifestBytes manifest = ManifestBytes.serialize(
        ImageManifest.of(Descriptor.of(MediaTypes.OCI_CONFIG, configBytes), descriptors));
    blob(dir, manifest.bytes());
    Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\""
        + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + manifest.digest() + "\",\"size\":"
        + manifest.size() + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"" + tag + "\"}}]}");
    return manifest;
  }

  private static void blob(Path dir, byte[] content) throws IOException {
    Files.write(dir.resolve("blobs/sha256").resolve(Digest.sha256(content).encoded()), content);
  }
}
