package io.slipway.store.compress;

import io.slipway.oci.Digest;
import io.slipway.oci.DigestAlgorithm;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;

/**
 * Passes bytes through while hashing them with sha256 and counting them. {@link #close()} does not
 * close the wrapped stream when built with {@code closeTarget = false}, so a caller-owned sink
 * (such as a blob writer) stays open. Not safe for concurrent use.
 */
public final class DigestingOutputStream extends FilterOutputStream {

  private final MessageDigest hasher = DigestAlgorithm.SHA256.newHasher();
  private final boolean closeTarget;
  private long count;

  public DigestingOutputStream(OutputStream out, boolean closeTarget) {
    super(out);
    this.closeTarget = closeTarget;
  }

  @Override
  public void write(int b) throws IOException {
    out.write(b);
    hasher.update((byte) b);
    count++;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
    hasher.update(b, off, len);
    count += len;
  }

  /** Bytes written so far. */
  public long count() {
    return count;
  }

  /** The digest of everything written; call once, after the last write. */
  public Digest digest() {
    return Digest.fromHash(DigestAlgorithm.SHA256, hasher.digest());
  }

  @Override
  public void close() throws IOException {
    if (closeTarget) {
      super.close();
    } else {
      out.flush();
    }
  }
}
