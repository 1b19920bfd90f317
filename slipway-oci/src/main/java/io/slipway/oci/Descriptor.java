package io.slipway.oci;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A reference to content: its media type, digest and size, with the optional OCI descriptor
 * fields. Manifests use descriptors to name their config, layers, child manifests and subject;
 * registries return them from the referrers API.
 *
 * <p>Absent optional fields are {@code null} ({@code platform}, {@code artifactType}, {@code data})
 * or empty ({@code urls}, {@code annotations}); the JSON form uses the OCI field names, in the order
 * the reference implementation writes them, and omits absent fields. Annotations are kept sorted by
 * key so that equal descriptors serialize identically. {@code data} holds the base64 text exactly as
 * found in JSON; {@link #decodedData()} decodes it. Immutable.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({
  "mediaType",
  "digest",
  "size",
  "urls",
  "annotations",
  "data",
  "platform",
  "artifactType"
})
public record Descriptor(
    @JsonProperty("mediaType") String mediaType,
    @JsonProperty("digest") Digest digest,
    @JsonProperty(value = "size", required = true) long size,
    @JsonProperty("urls") List<String> urls,
    @JsonProperty("annotations") Map<String, String> annotations,
    @JsonProperty("platform") Platform platform,
    @JsonProperty("artifactType") String artifactType,
    @JsonProperty("data") String data) {

  /** The OCI empty descriptor: the two-byte JSON blob {@code {}}, with its data embedded. */
  public static final Descriptor EMPTY =
      new Descriptor(
          MediaTypes.OCI_EMPTY,
          Digest.parse("sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"),
          2,
          List.of(),
          Map.of(),
          null,
          null,
          "e30=");

  public Descriptor {
    if (mediaType == null || mediaType.isEmpty()) {
      throw new IllegalArgumentException("descriptor mediaType is required");
    }
    Objects.requireNonNull(digest, "descriptor digest is required");
    if (size < 0) {
      throw new IllegalArgumentException("descriptor size must not be negative, got " + size);
    }
    urls = Values.listCopy(urls, "descriptor urls");
    annotations = Values.sortedCopy(annotations, "descriptor annotations");
    artifactType = Values.emptyToNull(artifactType);
    data = Values.emptyToNull(data);
  }

  /** A descriptor with just the three required fields. */
  public static Descriptor of(String mediaType, Digest digest, long size) {
    return new Descriptor(mediaType, digest, size, List.of(), Map.of(), null, null, null);
  }

  /** The descriptor of {@code content}: its sha256 digest and its length. */
  public static Descriptor of(String mediaType, byte[] content) {
    return of(mediaType, Digest.sha256(content), content.length);
  }

  /** The same descriptor with {@code platform} (null removes it). */
  public Descriptor withPlatform(Platform platform) {
    return new Descriptor(mediaType, digest, size, urls, annotations, platform, artifactType, data);
  }

  /** The same descriptor with these annotations in place of the current ones. */
  public Descriptor withAnnotations(Map<String, String> annotations) {
    return new Descriptor(mediaType, digest, size, urls, annotations, platform, artifactType, data);
  }

  /** The same descriptor with {@code artifactType} (null removes it). */
  public Descriptor withArtifactType(String artifactType) {
    return new Descriptor(mediaType, digest, size, urls, annotations, platform, artifactType, data);
  }

  /** The same descriptor with these URLs, from which non-distributable content is fetched. */
  public Descriptor withUrls(List<String> urls) {
    return new Descriptor(mediaType, digest, size, urls, annotations, platform, artifactType, data);
  }

  /**
   * The same descriptor with {@code content} embedded as base64 {@code data}. The caller vouches
   * that {@code content} is the described content; {@link #embeds(byte[])} checks it.
   */
  public Descriptor withData(byte[] content) {
    return new Descriptor(
        mediaType,
        digest,
        size,
        urls,
        annotations,
        platform,
        artifactType,
        Base64.getEncoder().encodeToString(content));
  }

  /**
   * The embedded content, decoded; empty when there is no {@code data} field or it is not valid
   * base64 (the spec makes a reader fall back to fetching the content then).
   */
  public Optional<byte[]> decodedData() {
    if (data == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Base64.getDecoder().decode(data));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** True when {@code content} has exactly this descriptor's size and digest. */
  public boolean embeds(byte[] content) {
    return content.length == size && Digest.of(digest.algorithm(), content).equals(digest);
  }
}
