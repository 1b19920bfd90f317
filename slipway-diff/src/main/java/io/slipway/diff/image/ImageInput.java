package io.slipway.diff.image;

import io.slipway.oci.reference.InvalidReferenceException;
import io.slipway.oci.reference.Reference;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where an image to compare comes from: a registry reference, an OCI layout directory, or a
 * tarball ({@code docker save} or an OCI layout in a tar). Immutable.
 */
public sealed interface ImageInput {

  /** What to call the image in messages. */
  String label();

  /** An image in a registry, such as {@code localhost:5000/app:1}. */
  record Registry(Reference reference) implements ImageInput {
    @Override
    public String label() {
      return reference.toString();
    }
  }

  /** An OCI image layout directory, and the {@code ref.name} to pick (null for the only entry). */
  record Layout(Path dir, String tag) implements ImageInput {
    @Override
    public String label() {
      return "oci-layout:" + dir + (tag == null ? "" : ":" + tag);
    }
  }

  /** A tar written by {@code docker save}, or an OCI layout packed in a tar. */
  record Archive(Path tar) implements ImageInput {
    @Override
    public String label() {
      return tar.toString();
    }
  }

  /**
   * Reads {@code oci-layout:DIR[:TAG]}, an existing {@code .tar} file, an existing layout
   * directory, or otherwise a registry reference.
   *
   * @throws IllegalArgumentException naming the argument when it is none of these
   */
  static ImageInput parse(String text) {
    if (text.startsWith("oci-layout:")) {
      String rest = text.substring("oci-layout:".length());
      int colon = rest.lastIndexOf(':');
      if (colon > 0 && !rest.substring(colon + 1).contains("/") && !Files.isDirectory(Path.of(rest))) {
        return new Layout(Path.of(rest.substring(0, colon)), rest.substring(colon + 1));
      }
      return new Layout(Path.of(rest), null);
    }
    Path path = Path.of(text);
    if (Files.isRegularFile(path)) {
      return new Archive(path);
    }
    if (Files.isRegularFile(path.resolve("oci-layout"))) {
      return new Layout(path, null);
    }
    try {
      return new Registry(Reference.parse(text));
    } catch (InvalidReferenceException e) {
      throw new IllegalArgumentException(
          text + " is not an image: not a tar file, an OCI layout or a registry reference ("
              + e.getMessage() + ")", e);
    }
  }

  /** True when {@code text} names an image as {@link #parse} reads it, not a plain file or directory. */
  static boolean looksLikeImage(String text) {
    Path path = Path.of(text);
    if (text.startsWith("oci-layout:") || Files.isRegularFile(path.resolve("oci-layout"))) {
      return true;
    }
    if (Files.isRegularFile(path)) {
      return text.endsWith(".tar") && ImageLoader.isImageArchive(path);
    }
    return !Files.exists(path) && Reference.isValid(text) && (text.contains(":") || text.contains("@"));
  }
}
