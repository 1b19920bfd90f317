package io.slipway.oci;

/**
 * Annotation keys with agreed meanings: those the OCI image spec pre-defines, and the ones Docker
 * BuildKit puts on index entries to mark attestation manifests. Constants only; safe for
 * concurrent use.
 */
public final class Annotations {

  /** When the image was built, RFC 3339. */
  public static final String CREATED = "org.opencontainers.image.created";

  /** Who to contact about the image. */
  public static final String AUTHORS = "org.opencontainers.image.authors";

  /** Where to find more about the image. */
  public static final String URL = "org.opencontainers.image.url";

  /** Where the image's documentation is. */
  public static final String DOCUMENTATION = "org.opencontainers.image.documentation";

  /** Where the image's source code is. */
  public static final String SOURCE = "org.opencontainers.image.source";

  /** The version of the packaged software. */
  public static final String VERSION = "org.opencontainers.image.version";

  /** The source control revision the image was built from. */
  public static final String REVISION = "org.opencontainers.image.revision";

  /** The distributing entity. */
  public static final String VENDOR = "org.opencontainers.image.vendor";

  /** SPDX license expression of the packaged software. */
  public static final String LICENSES = "org.opencontainers.image.licenses";

  /** The name of a reference in an OCI image layout's {@code index.json}, usually a tag. */
  public static final String REF_NAME = "org.opencontainers.image.ref.name";

  /** Human-readable title. */
  public static final String TITLE = "org.opencontainers.image.title";

  /** Human-readable description. */
  public static final String DESCRIPTION = "org.opencontainers.image.description";

  /** The digest of the image this one was built {@code FROM}. */
  public static final String BASE_DIGEST = "org.opencontainers.image.base.digest";

  /** The reference of the image this one was built {@code FROM}. */
  public static final String BASE_NAME = "org.opencontainers.image.base.name";

  /** BuildKit: the kind of an index entry; {@code attestation-manifest} for provenance/SBOM. */
  public static final String DOCKER_REFERENCE_TYPE = "vnd.docker.reference.type";

  /** BuildKit: the digest of the image manifest an attestation manifest describes. */
  public static final String DOCKER_REFERENCE_DIGEST = "vnd.docker.reference.digest";

  /** The value of {@link #DOCKER_REFERENCE_TYPE} on attestation manifests. */
  public static final String ATTESTATION_MANIFEST = "attestation-manifest";

  private Annotations() {}
}
