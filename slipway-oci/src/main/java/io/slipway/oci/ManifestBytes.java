package io.slipway.oci;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A manifest exactly as received or as it will be sent: its bytes, its media type and the digest of
 * those bytes, with a parsed {@link Manifest} view made on first use.
 *
 * <p>The bytes are the truth. A manifest's digest is the digest of its bytes, and re-encoding a
 * parsed manifest would change them (whitespace, field order, unknown fields), so the registry
 * stores and serves these bytes and the client pushes them unchanged. Manifests Slipway creates are
 * encoded once, canonically, by {@link #serialize(Manifest)}.
 *
 * <p>Parsing never fails on unknown fields or unknown media types: an unknown type yields an
 * {@link UnknownManifest}. It fails, with {@link InvalidManifestException}, on bytes that are not a
 * JSON object, on a known type missing a required field, and on a {@code mediaType} field that
 * contradicts the declared media type.
 *
 * <p>Immutable and safe for concurrent use; the parsed view is computed at most a few times under
 * contention and is the same value each time.
 */
public final class ManifestBytes {

  private final byte[] bytes;
  private final String mediaType;
  private final Digest digest;
  private volatile Manifest parsed;

  private ManifestBytes(byte[] bytes, String mediaType, Digest digest) {
    this.bytes = bytes;
    this.mediaType = mediaType;
    this.digest = digest;
  }

  /**
   * Wraps received bytes with their media type (for instance a request's {@code Content-Type}) and
   * computes their sha256 digest. The bytes are copied; nothing is parsed yet.
   */
  public static ManifestBytes of(byte[] bytes, String mediaType) {
    return of(bytes, mediaType, DigestAlgorithm.SHA256);
  }

  /** As {@link #of(byte[], String)}, digesting with {@code algorithm}. */
  public static ManifestBytes of(byte[] bytes, String mediaType, DigestAlgorithm algorithm) {
    Objects.requireNonNull(bytes, "bytes");
    if (mediaType == null || mediaType.isBlank()) {
      throw new IllegalArgumentException("a manifest media type is required");
    }
    byte[] copy = bytes.clone();
    return new ManifestBytes(copy, mediaType.strip(), Digest.of(algorithm, copy));
  }

  /**
   * Wraps bytes whose media type was not given, taking it from the document: its {@code
   * mediaType} field, else an OCI index if it has {@code manifests}, an OCI manifest if it has
   * {@code config}, a Docker schema 1 manifest if its {@code schemaVersion} is 1.
   *
   * @throws InvalidManifestException if the bytes are not a JSON object or say nothing of their
   *     type
   */
  public static ManifestBytes detect(byte[] bytes) {
    return detect(bytes, DigestAlgorithm.SHA256);
  }

  /**
   * As {@link #detect(byte[])}, digesting with {@code algorithm} (for a manifest pushed or fetched
   * by a digest of that algorithm).
   */
  public static ManifestBytes detect(byte[] bytes, DigestAlgorithm algorithm) {
    JsonNode root = readObject(bytes);
    JsonNode declared = root.get("mediaType");
    String mediaType;
    if (declared != null && declared.isTextual() && !declared.asText().isEmpty()) {
      mediaType = declared.asText();
    } else if (root.has("manifests")) {
      mediaType = MediaTypes.OCI_INDEX;
    } else if (root.has("config")) {
      mediaType = MediaTypes.OCI_MANIFEST;
    } else if (root.path("schemaVersion").asInt() == 1) {
      mediaType =
          root.has("signatures")
              ? MediaTypes.DOCKER_MANIFEST_V1_SIGNED
              : MediaTypes.DOCKER_MANIFEST_V1;
    } else {
      throw new InvalidManifestException(
          "cannot tell the media type: no mediaType field, and neither manifests nor config");
    }
    return of(bytes, mediaType, algorithm);
  }

  /**
   * Encodes a manifest Slipway made, canonically (see {@link OciJson}): the same manifest always
   * yields the same bytes and digest. The media type is the manifest's {@code mediaType} field, or
   * the OCI type of its kind when the field is absent.
   *
   * @throws IllegalArgumentException for an {@link UnknownManifest}, which does not hold enough of
   *     its document to be written back
   */
  public static ManifestBytes serialize(Manifest manifest) {
    String mediaType =
        switch (manifest) {
          case ImageManifest m -> m.mediaType() != null ? m.mediaType() : MediaTypes.OCI_MANIFEST;
          case ImageIndex i -> i.mediaType() != null ? i.mediaType() : MediaTypes.OCI_INDEX;
          case UnknownManifest u ->
              throw new IllegalArgumentException(
                  "a manifest of unknown type "
                      + u.mediaType()
                      + " cannot be re-encoded; keep its original bytes");
        };
    byte[] encoded = OciJson.canonicalBytes(manifest);
    ManifestBytes result = new ManifestBytes(encoded, mediaType, Digest.sha256(encoded));
    result.parsed = manifest;
    return result;
  }

  /** A copy of the exact bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** A stream over the exact bytes, for sending without a copy. */
  public InputStream openStream() {
    return new ByteArrayInputStream(bytes);
  }

  /** The number of bytes. */
  public long size() {
    return bytes.length;
  }

  /** The media type as given (parameters, if any were given, included). */
  public String mediaType() {
    return mediaType;
  }

  /** The digest of the bytes. */
  public Digest digest() {
    return digest;
  }

  /** True when {@code expected}, under its own algorithm, is the digest of these bytes. */
  public boolean hasDigest(Digest expected) {
    return expected.algorithm() == digest.algorithm()
        ? expected.equals(digest)
        : Digest.of(expected.algorithm(), bytes).equals(expected);
  }

  /** The descriptor of these bytes: media type essence, digest and size. */
  public Descriptor descriptor() {
    return Descriptor.of(MediaTypes.essence(mediaType), digest, bytes.length);
  }

  /**
   * The descriptor the referrers API lists for this manifest: media type, digest and size, the
   * {@link Manifest#referrerArtifactType() artifact type} and the manifest's annotations.
   *
   * @throws InvalidManifestException when the bytes cannot be parsed
   */
  public Descriptor referrerDescriptor() {
    Manifest manifest = manifest();
    return descriptor()
        .withArtifactType(manifest.referrerArtifactType().orElse(null))
        .withAnnotations(manifest.annotations());
  }

  /**
   * The parsed view: {@link ImageManifest} for image manifest types, {@link ImageIndex} for index
   * types, {@link UnknownManifest} for anything else.
   *
   * @throws InvalidManifestException when the bytes do not hold what the media type promises
   */
  public Manifest manifest() {
    Manifest result = parsed;
    if (result == null) {
      result = parse();
      parsed = result;
    }
    return result;
  }

  /**
   * The parsed image manifest.
   *
   * @throws InvalidManifestException when the media type is not an image manifest type, or the
   *     bytes do not hold one
   */
  public ImageManifest imageManifest() {
    if (manifest() instanceof ImageManifest m) {
      return m;
    }
    throw new InvalidManifestException(
        "expected an image manifest, got " + MediaTypes.essence(mediaType) + " " + digest);
  }

  /**
   * The parsed index.
   *
   * @throws InvalidManifestException when the media type is not an index type, or the bytes do
   *     not hold one
   */
  public ImageIndex index() {
    if (manifest() instanceof ImageIndex i) {
      return i;
    }
    throw new InvalidManifestException(
        "expected an index, got " + MediaTypes.essence(mediaType) + " " + digest);
  }

  private Manifest parse() {
    JsonNode root = readObject(bytes);
    JsonNode declaredNode = root.get("mediaType");
    if (declaredNode != null && !declaredNode.isNull() && !declaredNode.isTextual()) {
      throw new InvalidManifestException("mediaType must be a string");
    }
    String declared = declaredNode == null ? null : Values.emptyToNull(declaredNode.asText(null));
    String type = MediaTypes.essence(mediaType);
    if (MediaTypes.isManifest(type)) {
      if (declared != null && !MediaTypes.essence(declared).equals(type)) {
        throw new InvalidManifestException(
            "the document's mediaType \"" + declared + "\" contradicts the given type " + type);
      }
      Class<? extends Manifest> kind =
          MediaTypes.isIndex(type) ? ImageIndex.class : ImageManifest.class;
      return OciJson.convert(root, kind, InvalidManifestException::new);
    }
    return lenient(root, declared);
  }

  private static UnknownManifest lenient(JsonNode root, String declared) {
    List<Descriptor> children = new ArrayList<>();
    descriptorAt(root.get("config")).ifPresent(children::add);
    for (String field : List.of("layers", "manifests", "blobs")) {
      JsonNode array = root.get(field);
      if (array != null && array.isArray()) {
        for (JsonNode element : array) {
          descriptorAt(element).ifPresent(children::add);
        }
      }
    }
    JsonNode artifactType = root.get("artifactType");
    Map<String, String> annotations = new LinkedHashMap<>();
    JsonNode annotationNode = root.get("annotations");
    if (annotationNode != null && annotationNode.isObject()) {
      annotationNode
          .properties()
          .forEach(
              e -> {
                if (e.getValue().isTextual()) {
                  annotations.put(e.getKey(), e.getValue().asText());
                }
              });
    }
    return new UnknownManifest(
        declared,
        artifactType != null && artifactType.isTextual() ? artifactType.asText() : null,
        children,
        descriptorAt(root.get("subject")).orElse(null),
        annotations);
  }

  private static Optional<Descriptor> descriptorAt(JsonNode node) {
    if (node == null || !node.isObject()) {
      return Optional.empty();
    }
    try {
      return Optional.of(OciJson.convert(node, Descriptor.class, InvalidManifestException::new));
    } catch (InvalidManifestException e) {
      return Optional.empty();
    }
  }

  private static JsonNode readObject(byte[] bytes) {
    JsonNode root = OciJson.readTree(bytes, reason -> new InvalidManifestException("not JSON: " + reason));
    if (!root.isObject()) {
      throw new InvalidManifestException("expected a JSON object, got " + root.getNodeType());
    }
    return root;
  }

  /** Equal when the bytes and the media type are equal. */
  @Override
  public boolean equals(Object other) {
    return other instanceof ManifestBytes that
        && digest.equals(that.digest)
        && mediaType.equals(that.mediaType)
        && Arrays.equals(bytes, that.bytes);
  }

  @Override
  public int hashCode() {
    return digest.hashCode() * 31 + mediaType.hashCode();
  }

  /** The media type, digest and size, for logs and error messages. */
  @Override
  public String toString() {
    return MediaTypes.essence(mediaType) + " " + digest + " (" + bytes.length + " bytes)";
  }
}
