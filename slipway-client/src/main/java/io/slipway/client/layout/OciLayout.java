package io.slipway.client.layout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slipway.client.ManifestGraph;
import io.slipway.oci.Descriptor;
import io.slipway.oci.Digest;
import io.slipway.oci.MediaTypes;
import io.slipway.store.blob.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Writes and reads OCI image layouts (image-spec {@code image-layout.md}): {@code oci-layout},
 * {@code index.json} and {@code blobs/<alg>/<encoded>}, the format {@code skopeo}, {@code umoci}
 * and {@code buildah} exchange images in. Names are kept in the {@code
 * org.opencontainers.image.ref.name} annotation. Stateless and thread-safe; two writers of one
 * directory at once are not supported.
 */
public final class OciLayout {
  /** The annotation holding an entry's name in {@code index.json}. */
  public static final String REF_NAME = "org.opencontainers.image.ref.name";
  private static final ObjectMapper JSON = new ObjectMapper();

  private OciLayout() {}

  /**
   * Writes {@code root} and everything under it from {@code store} into the layout at {@code dir}
   * (created if missing), adding an {@code index.json} entry named {@code name} (replacing an
   * entry of that name). Blobs are written before {@code index.json}, which is replaced
   * atomically, so a reader never sees an entry whose blobs are missing.
   */
  public static void write(BlobStore store, Descriptor root, String name, Path dir,
      long maxManifestSize) throws IOException {
    Files.createDirectories(dir);
    for (Descriptor node : ManifestGraph.walk(store, root, maxManifestSize)) {
      Path target = blobPath(dir, node.digest());
      if (Files.exists(target) && Files.size(target) == node.size()) {
        continue;
      }
      Files.createDirectories(target.getParent());
      Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
      try (FileChannel from = store.openChannel(node.digest());
          FileChannel to = FileChannel.open(temporary, StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
        long position = 0;
        long size = from.size();
        while (position < size) {
          position += from.transferTo(position, size - position, to);
        }
        to.force(true);
      }
      Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    }
    writeAtomically(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    ObjectNode index = readIndex(dir).orElseGet(() -> {
      ObjectNode fresh = JSON.createObjectNode();
      fresh.put("schemaVersion", 2);
      fresh.put("mediaType", MediaTypes.OCI_INDEX);
      fresh.putArray("manifests");
      return fresh;
    });
    ArrayNode manifests = index.withArray("manifests");
    for (int i = manifests.size() - 1; i >= 0; i--) {
      if (name.equals(manifests.get(i).path("annotations").path(REF_NAME).asText(null))) {
        manifests.remove(i);
      }
    }
    ObjectNode entry = manifests.addObject();
    entry.put("mediaType", root.mediaType());
    entry.put("digest", root.digest().toString());
    entry.put("size", root.size());
    if (root.platform() != null) {
      entry.set("platform", JSON.valueToTree(root.platform()));
    }
    entry.putObject("annotations").put(REF_NAME, name);
    writeAtomically(dir.resolve("index.json"), JSON.writerWithDefaultPrettyPrinter()
        .writeValueAsBytes(index));
  }

  /**
   * Imports the layout entry named {@code name} (or the only entry when {@code name} is null)
   * and everything under it into {@code store}; returns its descriptor.
   *
   * @throws IOException naming the layout and what is wrong with it
   */
  public static Descriptor read(Path dir, String name, BlobStore store) throws IOException {
    if (!Files.isRegularFile(dir.resolve("oci-layout"))) {
      throw new IOException(dir + " is not an OCI layout: it has no oci-layout file");
    }
    ObjectNode index = readIndex(dir).orElseThrow(() ->
        new IOException(dir + " is not an OCI layout: it has no index.json"));
    List<JsonNode> candidates = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (JsonNode entry : index.path("manifests")) {
      String entryName = entry.path("annotations").path(REF_NAME).asText("");
      names.add(entryName);
      if (name == null || name.equals(entryName)) {
        candidates.add(entry);
      }
    }
    if (candidates.size() != 1) {
      throw new IOException(dir + "/index.json has " + candidates.size() + " entries"
          + (name == null ? "" : " named \"" + name + "\"") + " (names: " + names
          + "); name one with oci-layout:" + dir + ":NAME");
    }
    JsonNode entry = candidates.getFirst();
    Descriptor root = Descriptor.of(entry.path("mediaType").asText(),
        Digest.parse(entry.path("digest").asText()), entry.path("size").asLong());
    importTree(dir, root, store);
    return root;
  }

  private static void importTree(Path dir, Descriptor node, BlobStore store) throws IOException {
    Path blob = blobPath(dir, node.digest());
    if (!Files.isRegularFile(blob)) {
      throw new IOException(dir + " lacks blob " + node.digest() + " (" + node.mediaType() + ")");
    }
    if (MediaTypes.isManifest(node.mediaType())) {
      byte[] bytes = Files.readAllBytes(blob);
      for (Descriptor child : ManifestGraph.children(
          io.slipway.oci.ManifestBytes.of(bytes, node.mediaType(), node.digest().algorithm()))) {
        importTree(dir, child, store);
      }
    }
    if (!store.exists(node.digest())) {
      try (InputStream in = Files.newInputStream(blob)) {
        store.put(in, node.digest(), node.size());
      }
    }
  }

  /** Names of the entries in a layout's {@code index.json}. */
  public static List<String> names(Path dir) throws IOException {
    List<String> names = new ArrayList<>();
    for (JsonNode entry : readIndex(dir).map(i -> i.path("manifests")).orElse(JSON.createArrayNode())) {
      names.add(entry.path("annotations").path(REF_NAME).asText(""));
    }
    return names;
  }

  private static Optional<ObjectNode> readIndex(Path dir) throws IOException {
    Path file = dir.resolve("index.json");
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    JsonNode node = JSON.readTree(file.toFile());
    if (!(node instanceof ObjectNode object)) {
      throw new IOException(file + " is not a JSON object");
    }
    return Optional.of(object);
  }

  private static Path blobPath(Path dir, Digest digest) {
    return dir.resolve("blobs").resolve(digest.algorithm().ociName()).resolve(digest.encoded());
  }

  private static void writeAtomically(Path file, byte[] bytes) throws IOException {
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    try (OutputStream out = Files.newOutputStream(temporary)) {
      out.write(bytes);
    }
    Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
