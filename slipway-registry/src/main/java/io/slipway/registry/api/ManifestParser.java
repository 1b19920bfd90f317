package io.slipway.registry.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.oci.Digest;
import io.slipway.oci.InvalidDigestException;
import io.slipway.registry.ErrorCode;
import io.slipway.registry.Exchange;
import io.slipway.registry.RegistryException;
import io.slipway.registry.meta.ManifestReference;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validates a pushed manifest and extracts what the registry indexes. Accepts OCI image manifests
 * and indexes and Docker schema 2 manifests and manifest lists; requires the media type in the
 * body (when present) to agree with {@code Content-Type}. Layers with {@code urls} or a
 * non-distributable media type need not be in the registry. Stateless, thread-safe.
 */
final class ManifestParser {
  static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
  static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
  private static final Set<String> IMAGE_TYPES = Set.of(OCI_MANIFEST, DOCKER_MANIFEST);
  private static final Set<String> INDEX_TYPES = Set.of(OCI_INDEX, DOCKER_LIST);

  private ManifestParser() {}

  static ParsedManifest parse(byte[] bytes, String contentType) {
    JsonNode root;
    try {
      root = Exchange.JSON.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw invalid("manifest is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw invalid("manifest cannot be read: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw invalid("manifest must be a JSON object");
    }
    JsonNode schemaVersion = root.get("schemaVersion");
    if (schemaVersion == null || !schemaVersion.isInt() || schemaVersion.intValue() != 2) {
      throw invalid("schemaVersion must be 2 (Docker schema 1 is not supported)");
    }
    String declared = contentType == null ? null : stripParameters(contentType);
    String inBody = text(root, "mediaType");
    if (inBody != null && declared != null && !inBody.equals(declared)) {
      throw invalid(
          "mediaType \"" + inBody + "\" in the manifest differs from Content-Type \"" + declared
              + "\"");
    }
    String mediaType = inBody != null ? inBody : declared;
    if (mediaType == null || (!IMAGE_TYPES.contains(mediaType) && !INDEX_TYPES.contains(mediaType))) {
      // OCI manifests may omit mediaType; tell them apart by their fields.
      if (mediaType == null || "application/json".equals(mediaType)) {
        mediaType = root.has("manifests") ? OCI_INDEX : OCI_MANIFEST;
      } else {
        throw invalid(
            "unsupported manifest media type \"" + mediaType + "\"; use " + OCI_MANIFEST + ", "
                + OCI_INDEX + ", " + DOCKER_MANIFEST + " or " + DOCKER_LIST);
      }
    }
    List<ManifestReference> references = new ArrayList<>();
    String artifactType = text(root, "artifactType");
    if (IMAGE_TYPES.contains(mediaType)) {
      JsonNode config = root.get("config");
      if (config == null) {
        throw invalid("an image manifest needs a config descriptor");
      }
      Descriptor configDescriptor = descriptor(config, "config");
      references.add(ManifestReference.blob(configDescriptor.digest()));
      if (artifactType == null) {
        artifactType = configDescriptor.mediaType();
      }
      JsonNode layers = root.get("layers");
      if (layers == null || !layers.isArray()) {
        throw invalid("an image manifest needs a layers array");
      }
      for (int i = 0; i < layers.size(); i++) {
        JsonNode layer = layers.get(i);
        Descriptor descriptor = descriptor(layer, "layers[" + i + "]");
        boolean external =
            (layer.has("urls") && layer.get("urls").isArray() && !layer.get("urls").isEmpty())
                || descriptor.mediaType().contains("nondistributable")
                || descriptor.mediaType().contains("foreign");
        if (!external) {
          references.add(ManifestReference.blob(descriptor.digest()));
        }
      }
    } else {
      JsonNode manifests = root.get("manifests");
      if (manifests == null || !manifests.isArray()) {
        throw invalid("an index needs a manifests array");
      }
      for (int i = 0; i < manifests.size(); i++) {
        references.add(
            ManifestReference.manifest(descriptor(manifests.get(i), "manifests[" + i + "]").digest()));
      }
    }
    Digest subject = null;
    JsonNode subjectNode = root.get("subject");
    if (subjectNode != null && !subjectNode.isNull()) {
      // The subject need not exist yet: the spec lets referrers be pushed before their subject.
      subject = descriptor(subjectNode, "subject").digest();
    }
    JsonNode annotations = root.get("annotations");
    String annotationsJson = "";
    if (annotations != null && !annotations.isNull()) {
      if (!annotations.isObject()) {
        throw invalid("annotations must be an object of strings");
      }
      annotationsJson = annotations.toString();
    }
    return new ParsedManifest(
        mediaType, List.copyOf(references), subject, artifactType == null ? "" : artifactType,
        annotationsJson);
  }

  private record Descriptor(String mediaType, Digest digest, long size) {}

  private static Descriptor descriptor(JsonNode node, String where) {
    if (!node.isObject()) {
      throw invalid(where + " must be a descriptor object");
    }
    String mediaType = text(node, "mediaType");
    if (mediaType == null) {
      throw invalid(where + ".mediaType is missing");
    }
    String digestText = text(node, "digest");
    if (digestText == null) {
      throw invalid(where + ".digest is missing");
    }
    Digest digest;
    try {
      digest = Digest.parse(digestText);
    } catch (InvalidDigestException e) {
      throw invalid(where + ".digest: " + e.getMessage());
    }
    JsonNode size = node.get("size");
    if (size == null || !size.canConvertToLong() || !size.isIntegralNumber() || size.longValue() < 0) {
      throw invalid(where + ".size must be a non-negative integer");
    }
    return new Descriptor(mediaType, digest, size.longValue());
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw invalid(field + " must be a string");
    }
    return value.textValue();
  }

  static String stripParameters(String contentType) {
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip();
  }

  private static RegistryException invalid(String message) {
    return RegistryException.of(ErrorCode.MANIFEST_INVALID, message, Map.of("reason", message));
  }
}
