package io.slipway.registry.api;

import io.slipway.oci.Descriptor;
import io.slipway.oci.DigestAlgorithm;
import io.slipway.oci.ImageIndex;
import io.slipway.oci.ImageManifest;
import io.slipway.oci.Manifest;
import io.slipway.oci.ManifestBytes;
import io.slipway.oci.MediaTypes;
import io.slipway.oci.OciJson;
import io.slipway.oci.UnknownManifest;
import io.slipway.registry.ErrorCode;
import io.slipway.registry.RegistryException;
import io.slipway.registry.meta.ManifestReference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Validates a pushed manifest with the OCI content model and extracts what the registry indexes.
 * Accepts OCI image manifests and indexes and Docker schema 2 manifests and manifest lists; the
 * body's {@code mediaType} (when present) must agree with {@code Content-Type}. Layers with
 * {@code urls} or a non-distributable media type need not be in the registry. Stateless,
 * thread-safe.
 */
final class ManifestParser {
  private ManifestParser() {}

  /** Parses {@code bytes} pushed with {@code contentType} (null when the request had none). */
  static Parsed parse(byte[] bytes, String contentType, DigestAlgorithm algorithm) {
    ManifestBytes manifestBytes;
    Manifest manifest;
    try {
      manifestBytes =
          contentType == null || MediaTypes.essence(contentType).equals("application/json")
              ? ManifestBytes.of(bytes, ManifestBytes.detect(bytes).mediaType(), algorithm)
              : ManifestBytes.of(bytes, contentType, algorithm);
      manifest = manifestBytes.manifest();
    } catch (IllegalArgumentException e) {
      // InvalidManifestException, and a malformed digest or descriptor inside the document.
      throw invalid(e.getMessage());
    }
    String mediaType = MediaTypes.essence(manifestBytes.mediaType());
    List<ManifestReference> references = new ArrayList<>();
    switch (manifest) {
      case ImageManifest image -> {
        references.add(ManifestReference.blob(image.config().digest()));
        for (Descriptor layer : image.layers()) {
          // Foreign layers live elsewhere (urls): the registry need not, and often may not, hold them.
          if (layer.urls().isEmpty() && !MediaTypes.isNonDistributable(layer.mediaType())) {
            references.add(ManifestReference.blob(layer.digest()));
          }
        }
      }
      case ImageIndex index -> {
        for (Descriptor child : index.children()) {
          references.add(ManifestReference.manifest(child.digest()));
        }
      }
      case UnknownManifest unknown ->
          throw invalid(
              "unsupported manifest media type \"" + mediaType + "\"; use "
                  + MediaTypes.OCI_MANIFEST + ", " + MediaTypes.OCI_INDEX + ", "
                  + MediaTypes.DOCKER_MANIFEST + " or " + MediaTypes.DOCKER_MANIFEST_LIST);
    }
    String annotations = "";
    if (!manifest.annotations().isEmpty()) {
      annotations = new String(OciJson.canonicalBytes(manifest.annotations()), StandardCharsets.UTF_8);
    }
    return new Parsed(
        manifestBytes,
        mediaType,
        List.copyOf(references),
        manifest.referrerSubject().map(Descriptor::digest).orElse(null),
        manifest.referrerArtifactType().orElse(""),
        annotations);
  }

  /**
   * What the registry needs from a pushed manifest. Immutable.
   *
   * @param bytes the manifest exactly as received, with its digest
   * @param mediaType its media type, without parameters
   * @param references blobs and child manifests that must be present
   * @param subject the manifest it refers to, or null
   * @param artifactType its artifact type for the referrers API, or ""
   * @param annotationsJson its annotations as JSON text, or ""
   */
  record Parsed(
      ManifestBytes bytes,
      String mediaType,
      List<ManifestReference> references,
      io.slipway.oci.Digest subject,
      String artifactType,
      String annotationsJson) {}

  private static RegistryException invalid(String message) {
    return RegistryException.of(
        ErrorCode.MANIFEST_INVALID, "invalid manifest: " + message, Map.of("reason", message));
  }
}
