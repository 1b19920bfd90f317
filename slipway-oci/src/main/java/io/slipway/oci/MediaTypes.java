package io.slipway.oci;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The media types Slipway knows by name: OCI image spec v1.1 and Docker image manifest schema 2,
 * with predicates that classify a media type string.
 *
 * <p>Every predicate first reduces its argument to the media type's essence (parameters such as
 * {@code ; charset=utf-8} removed, surrounding whitespace trimmed, lowercased), so a
 * {@code Content-Type} header can be passed as received. A media type this class does not know is
 * never an error: the predicates return {@code false} and callers treat the content as opaque.
 * Stateless and safe for concurrent use.
 */
public final class MediaTypes {

  /** OCI image manifest. */
  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

  /** OCI image index. */
  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";

  /** OCI image configuration. */
  public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";

  /** OCI layer, uncompressed tar. */
  public static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar";

  /** OCI layer, gzip-compressed tar. */
  public static final String OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";

  /** OCI layer, zstd-compressed tar. */
  public static final String OCI_LAYER_ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd";

  /** OCI non-distributable layer, uncompressed tar (deprecated by the spec, still read). */
  public static final String OCI_LAYER_NONDISTRIBUTABLE =
      "application/vnd.oci.image.layer.nondistributable.v1.tar";

  /** OCI non-distributable layer, gzip-compressed tar (deprecated by the spec, still read). */
  public static final String OCI_LAYER_NONDISTRIBUTABLE_GZIP =
      "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip";

  /** OCI non-distributable layer, zstd-compressed tar (deprecated by the spec, still read). */
  public static final String OCI_LAYER_NONDISTRIBUTABLE_ZSTD =
      "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd";

  /** The OCI empty descriptor's media type: the two-byte blob {@code {}}. */
  public static final String OCI_EMPTY = "application/vnd.oci.empty.v1+json";

  /** The {@code oci-layout} file at the root of an OCI image layout directory. */
  public static final String OCI_LAYOUT_HEADER = "application/vnd.oci.layout.header.v1+json";

  /** Docker image manifest, schema 2. */
  public static final String DOCKER_MANIFEST =
      "application/vnd.docker.distribution.manifest.v2+json";

  /** Docker manifest list (the Docker counterpart of the OCI index). */
  public static final String DOCKER_MANIFEST_LIST =
      "application/vnd.docker.distribution.manifest.list.v2+json";

  /** Docker image manifest, schema 1 (legacy; recognised, never produced). */
  public static final String DOCKER_MANIFEST_V1 =
      "application/vnd.docker.distribution.manifest.v1+json";

  /** Docker image manifest, schema 1 with JWS signatures (legacy; recognised, never produced). */
  public static final String DOCKER_MANIFEST_V1_SIGNED =
      "application/vnd.docker.distribution.manifest.v1+prettyjws";

  /** Docker image configuration. */
  public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";

  /** Docker layer, gzip-compressed tar. */
  public static final String DOCKER_LAYER_GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip";

  /** Docker layer, uncompressed tar (rare, but some tools write it). */
  public static final String DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar";

  /** Docker foreign layer (for example Windows base layers), fetched from its {@code urls}. */
  public static final String DOCKER_LAYER_FOREIGN_GZIP =
      "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";

  /** Docker foreign layer, uncompressed tar. */
  public static final String DOCKER_LAYER_FOREIGN =
      "application/vnd.docker.image.rootfs.foreign.diff.tar";

  /**
   * What a client sends in {@code Accept} when it fetches a manifest by tag or digest: every
   * manifest and index type Slipway can read, OCI first.
   */
  public static final List<String> ACCEPTED_MANIFESTS =
      List.of(OCI_INDEX, OCI_MANIFEST, DOCKER_MANIFEST_LIST, DOCKER_MANIFEST);

  /** How a layer's tar stream is compressed, as far as its media type says. */
  public enum Compression {
    NONE,
    GZIP,
    ZSTD
  }

  // RFC 6838 section 4.2: restricted-name = first char alphanumeric, then up to 126 of
  // alphanumerics and !#$&-^_.+
  private static final Pattern WELL_FORMED =
      Pattern.compile(
          "[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}");

  private MediaTypes() {}

  /**
   * The essence of a media type: parameters removed, whitespace trimmed, lowercased. {@code null}
   * yields the empty string.
   */
  public static String essence(String mediaType) {
    if (mediaType == null) {
      return "";
    }
    int semicolon = mediaType.indexOf(';');
    String type = semicolon < 0 ? mediaType : mediaType.substring(0, semicolon);
    return type.strip().toLowerCase(Locale.ROOT);
  }

  /** True when {@code mediaType} is {@code type/subtype} per RFC 6838 (parameters allowed). */
  public static boolean isWellFormed(String mediaType) {
    return WELL_FORMED.matcher(essence(mediaType)).matches();
  }

  /** True for an image manifest: OCI image manifest or Docker schema 2 manifest. */
  public static boolean isImageManifest(String mediaType) {
    String type = essence(mediaType);
    return type.equals(OCI_MANIFEST) || type.equals(DOCKER_MANIFEST);
  }

  /** True for an index: OCI image index or Docker manifest list. */
  public static boolean isIndex(String mediaType) {
    String type = essence(mediaType);
    return type.equals(OCI_INDEX) || type.equals(DOCKER_MANIFEST_LIST);
  }

  /** True for any manifest type Slipway parses: {@link #isImageManifest} or {@link #isIndex}. */
  public static boolean isManifest(String mediaType) {
    return isImageManifest(mediaType) || isIndex(mediaType);
  }

  /** True for a legacy Docker schema 1 manifest, signed or not. */
  public static boolean isSchema1(String mediaType) {
    String type = essence(mediaType);
    return type.equals(DOCKER_MANIFEST_V1) || type.equals(DOCKER_MANIFEST_V1_SIGNED);
  }

  /** True for an OCI or Docker image configuration. */
  public static boolean isImageConfig(String mediaType) {
    String type = essence(mediaType);
    return type.equals(OCI_CONFIG) || type.equals(DOCKER_CONFIG);
  }

  /** True for the OCI empty blob {@code {}}. */
  public static boolean isEmpty(String mediaType) {
    return essence(mediaType).equals(OCI_EMPTY);
  }

  /** True for every OCI or Docker layer type, distributable or not. */
  public static boolean isLayer(String mediaType) {
    return layerCompression(mediaType).isPresent();
  }

  /**
   * True for a layer that registries need not hold: OCI non-distributable layers and Docker
   * foreign layers, whose content is fetched from the descriptor's {@code urls}.
   */
  public static boolean isNonDistributable(String mediaType) {
    String type = essence(mediaType);
    return type.startsWith("application/vnd.oci.image.layer.nondistributable.v1.tar")
            && isLayer(type)
        || type.equals(DOCKER_LAYER_FOREIGN_GZIP)
        || type.equals(DOCKER_LAYER_FOREIGN);
  }

  /**
   * The compression of a layer media type, or empty when {@code mediaType} is not a layer type
   * this class knows.
   */
  public static Optional<Compression> layerCompression(String mediaType) {
    return switch (essence(mediaType)) {
      case OCI_LAYER, OCI_LAYER_NONDISTRIBUTABLE, DOCKER_LAYER, DOCKER_LAYER_FOREIGN ->
          Optional.of(Compression.NONE);
      case OCI_LAYER_GZIP,
          OCI_LAYER_NONDISTRIBUTABLE_GZIP,
          DOCKER_LAYER_GZIP,
          DOCKER_LAYER_FOREIGN_GZIP ->
          Optional.of(Compression.GZIP);
      case OCI_LAYER_ZSTD, OCI_LAYER_NONDISTRIBUTABLE_ZSTD -> Optional.of(Compression.ZSTD);
      default -> Optional.empty();
    };
  }

  /**
   * The layer media type for {@code compression} in the family of {@code manifestMediaType}:
   * Docker layer types inside a Docker schema 2 manifest, OCI layer types otherwise. Docker has no
   * zstd layer type, so zstd always yields the OCI type.
   */
  public static String layerType(String manifestMediaType, Compression compression) {
    boolean docker = essence(manifestMediaType).equals(DOCKER_MANIFEST);
    return switch (compression) {
      case NONE -> docker ? DOCKER_LAYER : OCI_LAYER;
      case GZIP -> docker ? DOCKER_LAYER_GZIP : OCI_LAYER_GZIP;
      case ZSTD -> OCI_LAYER_ZSTD;
    };
  }

  /** The config media type that goes with a manifest media type (Docker or OCI). */
  public static String configTypeFor(String manifestMediaType) {
    return essence(manifestMediaType).equals(DOCKER_MANIFEST) ? DOCKER_CONFIG : OCI_CONFIG;
  }
}
