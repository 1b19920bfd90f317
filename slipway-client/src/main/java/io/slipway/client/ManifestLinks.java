package io.slipway.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.slipway.oci.Digest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads what a manifest or index refers to: for an image manifest its config and layers, for an
 * index its manifests with their platforms. Works on the received bytes without re-serializing.
 * Stateless.
 */
final class ManifestLinks {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ManifestLinks() {}

  /** A child of a manifest, with the platform an index names for it ("" when none). */
  record Child(Content content, String platform) {}

  static List<Child> children(Content manifest, byte[] bytes) throws UnsupportedContentException {
    JsonNode root = parse(manifest, bytes);
    List<Child> children = new ArrayList<>();
    if (MediaTypes.isIndex(manifest.mediaType())) {
      for (JsonNode entry : root.path("manifests")) {
        children.add(new Child(descriptor(manifest, entry), platform(entry.path("platform"))));
      }
    } else {
      JsonNode config = root.get("config");
      if (config != null) {
        children.add(new Child(descriptor(manifest, config), ""));
      }
      for (JsonNode layer : root.path("layers")) {
        children.add(new Child(descriptor(manifest, layer), ""));
      }
    }
    return children;
  }

  /** {@code os/architecture[/variant]}. */
  static String platform(JsonNode platform) {
    if (platform == null || !platform.isObject()) {
      return "";
    }
    String text = platform.path("os").asText("") + "/" + platform.path("architecture").asText("");
    String variant = platform.path("variant").asText("");
    return variant.isEmpty() ? text : text + "/" + variant;
  }

  /** The {@code mediaType} field of a manifest whose Content-Type was not usable. */
  static Optional<String> sniffMediaType(byte[] bytes) {
    try {
      JsonNode root = JSON.readTree(bytes);
      String type = root == null ? "" : root.path("mediaType").asText("");
      if (MediaTypes.isIndex(type) || MediaTypes.isManifest(type)) {
        return Optional.of(type);
      }
      if (root != null && root.has("manifests")) {
        return Optional.of(MediaTypes.OCI_INDEX);
      }
      if (root != null && root.has("layers") && root.has("config")) {
        return Optional.of(MediaTypes.OCI_MANIFEST);
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  private static JsonNode parse(Content manifest, byte[] bytes) throws UnsupportedContentException {
    try {
      JsonNode root = JSON.readTree(bytes);
      if (root == null || !root.isObject()) {
        throw new UnsupportedContentException("manifest " + manifest.digest() + " is not a JSON object");
      }
      return root;
    } catch (IOException e) {
      throw new UnsupportedContentException("manifest " + manifest.digest() + " is not JSON: "
          + e.getMessage());
    }
  }

  private static Content descriptor(Content manifest, JsonNode node)
      throws UnsupportedContentException {
    String digest = node.path("digest").asText("");
    String type = node.path("mediaType").asText("");
    long size = node.path("size").asLong(-1);
    if (!Digest.isValid(digest) || size < 0) {
      throw new UnsupportedContentException("manifest " + manifest.digest()
          + " lists a descriptor without a valid digest and size: " + node);
    }
    return new Content(type, Digest.parse(digest), size);
  }
}
