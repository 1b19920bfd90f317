package io.slipway.registry.meta;

import io.slipway.oci.Digest;

/**
 * Something a manifest needs present in its repository before it may be stored: a blob (config,
 * layer) or a child manifest (of an index). Immutable.
 */
public record ManifestReference(Kind kind, Digest digest) {

  /** What kind of content the reference names. */
  public enum Kind {
    BLOB,
    MANIFEST
  }

  public static ManifestReference blob(Digest digest) {
    return new ManifestReference(Kind.BLOB, digest);
  }

  public static ManifestReference manifest(Digest digest) {
    return new ManifestReference(Kind.MANIFEST, digest);
  }
}
