package io.slipway.diff.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.slipway.client.RegistryClient;
import io.slipway.client.Repository;
import io.slipway.client.TransferListener;
import io.slipway.oci.Descriptor;
import io.slipway.oci.Digest;
import io.slipway.oci.ImageConfig;
import io.slipway.oci.ImageManifest;
import io.slipway.oci.ManifestBytes;
import io.slipway.oci.MediaTypes;
import io.slipway.oci.Platform;
import io.slipway.oci.reference.Reference;
import io.slipway.store.blob.FileBlobStore;
import io.slipway.store.layer.LayerEntry;
import io.slipway.store.layer.LayerReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns an {@link ImageInput} into a {@link LoadedImage}: resolves tags and, for an index, the
 * manifest for the requested platform; reads layout blobs in place; pulls registry images into a
 * temporary blob cache; unpacks tarballs' member files (blobs, not layer contents) into a
 * temporary directory. Stateless apart from the registry client it is given; safe for concurrent
 * use when that client is.
 */
public final class ImageLoader {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String REF_NAME = "org.opencontainers.image.ref.name";

  private final RegistryClient registry;
  private final Platform platform;
  private final Path tempRoot;

  /**
   * @param registry the client for registry references, or null to refuse them
   * @param platform the platform to pick from an index
   * @param tempRoot where temporary directories go
   */
  public ImageLoader(RegistryClient registry, Platform platform, Path tempRoot) {
    this.registry = registry;
    this.platform = platform;
    this.tempRoot = tempRoot;
  }

  /** Loads {@code input}. The caller closes the result. */
  public LoadedImage load(ImageInput input) throws IOException, InterruptedException {
    return switch (input) {
      case ImageInput.Layout layout -> fromLayout(layout.label(), layout.dir(), layout.tag(), null);
      case ImageInput.Archive archive -> fromArchive(archive);
      case ImageInput.Registry reference -> fromRegistry(reference);
    };
  }

  /** True when {@code tar} holds an {@code oci-layout} or {@code manifest.json} member. */
  static boolean isImageArchive(Path tar) {
    try (LayerReader reader = LayerReader.openTar(Files.newInputStream(tar))) {
      for (int i = 0; i < 10_000; i++) {
        Optional<LayerEntry> entry = reader.next();
        if (entry.isEmpty()) {
          return false;
        }
        String path = entry.get().path();
        if (path.equals("oci-layout") || path.equals("manifest.json")) {
          return true;
        }
      }
      return false;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private LoadedImage fromRegistry(ImageInput.Registry input) throws IOException, InterruptedException {
    String label = input.label();
    if (registry == null) {
      throw new ImageInputException(label, "registry references need a registry client");
    }
    Reference reference = input.reference();
    Path scratch = Files.createTempDirectory(tempRoot, "slipway-image-");
    try {
      Descriptor root;
      try (FileBlobStore store = FileBlobStore.open(scratch)) {
        root = registry.pull(Repository.of(reference), reference.identifier(), store, platform,
            TransferListener.none());
        ManifestBytes manifest = registry.readManifest(store, root);
        return fromManifest(label, manifest, store::blobPath, scratch);
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      deleteQuietly(scratch);
      if (e instanceof ImageInputException || e instanceof InterruptedException) {
        throw e;
      }
      throw new ImageInputException(label, "cannot pull: " + e.getMessage(), e);
    }
  }

  private LoadedImage fromLayout(String label, Path dir, String tag, Path scratch) throws IOException {
    if (!Files.isRegularFile(dir.resolve("oci-layout"))) {
      throw new ImageInputException(label, dir + " is not an OCI layout: it has no oci-layout file");
    }
    Path indexFile = dir.resolve("index.json");
    if (!Files.isRegularFile(indexFile)) {
      throw new ImageInputException(label, dir + " has no index.json");
    }
    JsonNode index = JSON.readTree(indexFile.toFile());
    List<JsonNode> candidates = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (JsonNode entry : index.path("manifests")) {
      String name = entry.path("annotations").path(REF_NAME).asText("");
      names.add(name);
      if (tag == null || tag.equals(name)) {
        candidates.add(entry);
      }
    }
    if (candidates.size() != 1) {
      throw new ImageInputException(label, "index.json has " + candidates.size() + " entries"
          + (tag == null ? "" : " named \"" + tag + "\"") + " (names: " + names
          + "); name one with oci-layout:" + dir + ":NAME");
    }
    JsonNode entry = candidates.getFirst();
    Descriptor root = Descriptor.of(entry.path("mediaType").asText(),
        Digest.parse(entry.path("digest").asText()), entry.path("size").asLong());
    BlobPaths blobs = digest -> dir.resolve("blobs").resolve(digest.algorithm().ociName())
        .resolve(digest.encoded());
    ManifestBytes manifest = readManifest(label, root, blobs);
    return fromManifest(label, manifest, blobs, scratch);
  }

  private ManifestBytes readManifest(String label, Descriptor descriptor, BlobPaths blobs) throws IOException {
    Path file = blobs.path(descriptor.digest());
    if (!Files.isRegularFile(file)) {
      throw new ImageInputException(label, "lacks manifest blob " + descriptor.digest());
    }
    ManifestBytes manifest = ManifestBytes.of(Files.readAllBytes(file), descriptor.mediaType());
    if (MediaTypes.isIndex(manifest.mediaType())) {
      Descriptor child = manifest.index().select(platform).orElseThrow(() ->
          new ImageInputException(label, "index " + descriptor.digest() + " has no manifest for " + platform));
      return readManifest(label, child, blobs);
    }
    return manifest;
  }

  private LoadedImage fromManifest(String label, ManifestBytes manifest, BlobPaths blobs, Path scratch)
      throws IOException {
    ImageManifest image = manifest.imageManifest();
    Descriptor configDescriptor = image.config();
    Path configFile = blobs.path(configDescriptor.digest());
    if (!Files.isRegularFile(configFile)) {
      throw new ImageInputException(label, "lacks config blob " + configDescriptor.digest());
    }
    ImageConfig config = ImageConfig.parse(Files.readAllBytes(configFile));
    List<LoadedImage.Layer> layers = new ArrayList<>();
    for (Descriptor layer : image.layers()) {
      Path file = blobs.path(layer.digest());
      if (!Files.isRegularFile(file)) {
        throw new ImageInputException(label, "lacks layer blob " + layer.digest());
      }
      layers.add(new LoadedImage.Layer(layer, file));
    }
    return new LoadedImage(label, manifest.descriptor(), configDescriptor, config, layers, scratch);
  }

  private LoadedImage fromArchive(ImageInput.Archive input) throws IOException {
    String label = input.label();
    if (!Files.isRegularFile(input.tar())) {
      throw new ImageInputException(label, "no such file");
    }
    Path scratch = Files.createTempDirectory(tempRoot, "slipway-image-");
    try {
      unpackMembers(label, input.tar(), scratch);
      if (Files.isRegularFile(scratch.resolve("oci-layout"))) {
        return fromLayout(label, scratch, null, scratch);
      }
      if (Files.isRegularFile(scratch.resolve("manifest.json"))) {
        return fromDockerSave(label, scratch);
      }
      throw new ImageInputException(label, "is neither an OCI layout tar nor a docker save tar"
          + " (no oci-layout or manifest.json member)");
    } catch (IOException | RuntimeException e) {
      deleteQuietly(scratch);
      throw e instanceof ImageInputException ie ? ie
          : new ImageInputException(label, "cannot read the tar: " + e.getMessage(), e);
    }
  }

  /** Writes the tar's regular files under {@code into}; symbolic links are copied from their targets. */
  private static void unpackMembers(String label, Path tar, Path into) throws IOException {
    Map<String, String> links = new HashMap<>();
    try (LayerReader reader = LayerReader.openTar(Files.newInputStream(tar))) {
      for (Optional<LayerEntry> next = reader.next(); next.isPresent(); next = reader.next()) {
        switch (next.get()) {
          case LayerEntry.File file -> {
            Path target = into.resolve(file.path());
            Files.createDirectories(target.getParent());
            try (OutputStream out = Files.newOutputStream(target)) {
              reader.content().transferTo(out);
            }
          }
          case LayerEntry.Symlink link -> links.put(link.path(), link.target());
          case LayerEntry.Hardlink link -> links.put(link.path(), "/" + link.target());
          default -> {}
        }
      }
    }
    for (Map.Entry<String, String> link : links.entrySet()) {
      Path at = into.resolve(link.getKey());
      String target = link.getValue();
      Path source = target.startsWith("/") ? into.resolve(target.substring(1))
          : at.getParent().resolve(target);
      Path normalized = source.normalize();
      if (!normalized.startsWith(into) || !Files.isRegularFile(normalized)) {
        throw new ImageInputException(label, "member " + link.getKey() + " links to " + target
            + ", which is not a file in the archive");
      }
      Files.createDirectories(at.getParent());
      Files.copy(normalized, at);
    }
  }

  private LoadedImage fromDockerSave(String label, Path dir) throws IOException {
    JsonNode manifests = JSON.readTree(dir.resolve("manifest.json").toFile());
    if (!manifests.isArray() || manifests.isEmpty()) {
      throw new ImageInputException(label, "manifest.json lists no image");
    }
    if (manifests.size() > 1) {
      throw new ImageInputException(label, "manifest.json lists " + manifests.size()
          + " images; save one image per tar to compare it");
    }
    JsonNode entry = manifests.get(0);
    Path configFile = member(label, dir, entry.path("Config").asText(""));
    byte[] configBytes = Files.readAllBytes(configFile);
    Descriptor configDescriptor = Descriptor.of(MediaTypes.DOCKER_CONFIG, configBytes);
    List<LoadedImage.Layer> layers = new ArrayList<>();
    for (JsonNode layer : entry.path("Layers")) {
      Path file = member(label, dir, layer.asText(""));
      layers.add(new LoadedImage.Layer(
          Descriptor.of(MediaTypes.DOCKER_LAYER, sha256(file), Files.size(file)), file));
    }
    return new LoadedImage(label, null, configDescriptor, ImageConfig.parse(configBytes), layers, dir);
  }

  private static Path member(String label, Path dir, String name) throws ImageInputException {
    Path file = dir.resolve(name).normalize();
    if (name.isEmpty() || !file.startsWith(dir) || !Files.isRegularFile(file)) {
      throw new ImageInputException(label, "manifest.json names member \"" + name
          + "\", which the tar does not hold");
    }
    return file;
  }

  private static Digest sha256(Path file) throws IOException {
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha256())) {
      in.transferTo(OutputStream.nullOutputStream());
      return Digest.fromHash(io.slipway.oci.DigestAlgorithm.SHA256,
          ((DigestInputStream) in).getMessageDigest().digest());
    }
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }

  private static void deleteQuietly(Path dir) {
    try {
      new LoadedImage("", null, null, null, List.of(), dir).close();
    } catch (IOException ignored) {
      // Best effort: a temporary directory left behind is harmless and the OS cleans it.
    }
  }

  @FunctionalInterface
  private interface BlobPaths {
    Path path(Digest digest);
  }
}
