package io.slipway.store.blob;

import io.slipway.oci.Digest;

/** A stored blob no longer hashes to its name: the disk or someone outside Slipway changed it. */
public final class BlobCorruptedException extends BlobStoreException {
  private static final long serialVersionUID = 1L;

  private final transient Digest digest;

  public BlobCorruptedException(Digest digest, Digest actual) {
    super("blob " + digest + " is corrupt: its content hashes to " + actual
        + "; run `slipway fsck --repair`");
    this.digest = digest;
  }

  public Digest digest() {
    return digest;
  }
}
