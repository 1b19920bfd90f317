package io.slipway.diff.image;

import io.slipway.oci.Descriptor;
import io.slipway.oci.ImageConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * An image ready to compare: its manifest descriptor (absent for a {@code docker save} tar, which
 * has none), config, and layers, each of which can be opened as a stream as often as needed.
 * Layers are read from where they already are (layout directory, blob cache); nothing is unpacked.
 * Closing deletes the temporary directory the loader used, if any. Safe for concurrent reads;
 * close once.
 *
 * @param label the image as the user named it
 * @param manifest the manifest's descriptor, or null for a {@code docker save} tar
 * @param configDescriptor the config blob's descriptor
 * @param config the parsed config
 * @param layers the layers, lowest first
 * @param scratch a temporary directory owned by this image, or null
 */
public record LoadedImage(
    String label,
    Descriptor manifest,
    Descriptor configDescriptor,
    ImageConfig config,
    List<Layer> layers,
    Path scratch)
    implements AutoCloseable {

  public LoadedImage {
    layers = List.copyOf(layers);
  }

  /** One layer: its descriptor and the file holding its (possibly compressed) bytes. Immutable. */
  public record Layer(Descriptor descriptor, Path file) {
    /** Opens the stored bytes, compressed as stored. */
    public InputStream open() throws IOException {
      return Files.newInputStream(file);
    }
  }

  @Override
  public void close() throws IOException {
    if (scratch == null || !Files.exists(scratch)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(scratch)) {
      for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
