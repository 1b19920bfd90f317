package io.slipway.store.blob;

import io.slipway.oci.Digest;

/** The requested blob is not in the store. */
public final class BlobNotFoundException extends BlobStoreException {
  private static final long serialVersionUID = 1L;

  private final transient Digest digest;

  public BlobNotFoundException(Digest digest) {
    super("blob " + digest + " is not in the store");
    this.digest = digest;
  }

  public Digest digest() {
    return digest;
  }
}
