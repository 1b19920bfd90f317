package io.slipway.store.blob;

import io.slipway.oci.Digest;

/** Written content hashed to another digest than the one the writer promised. Nothing was stored. */
public final class BlobDigestMismatchException extends BlobStoreException {
  private static final long serialVersionUID = 1L;

  private final transient Digest expected;
  private final transient Digest actual;

  public BlobDigestMismatchException(Digest expected, Digest actual) {
    super("digest mismatch: expected " + expected + ", content hashes to " + actual);
    this.expected = expected;
    this.actual = actual;
  }

  public Digest expected() {
    return expected;
  }

  public Digest actual() {
    return actual;
  }
}
