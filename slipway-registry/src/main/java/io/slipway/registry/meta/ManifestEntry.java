package io.slipway.registry.meta;

import io.slipway.oci.Digest;
import java.util.Objects;
import java.util.Optional;

/**
 * What the index knows about one stored manifest: enough to answer HEAD and to list it as a
 * referrer without reading its bytes. Immutable.
 *
 * @param digest the manifest's digest
 * @param mediaType the media type it was pushed with
 * @param size its length in bytes
 * @param artifactType its artifact type for the referrers API, or empty
 * @param subject the digest of the manifest it refers to, or null
 * @param annotationsJson its {@code annotations} object as JSON text, or empty
 */
public record ManifestEntry(
    Digest digest,
    String mediaType,
    long size,
    String artifactType,
    Digest subject,
    String annotationsJson) {

  public ManifestEntry {
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(mediaType, "mediaType");
    artifactType = artifactType == null ? "" : artifactType;
    annotationsJson = annotationsJson == null ? "" : annotationsJson;
  }

  /** The subject, when this manifest refers to another one. */
  public Optional<Digest> subjectDigest() {
    return Optional.ofNullable(subject);
  }
}
