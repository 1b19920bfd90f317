package io.slipway.store.compress;

import io.slipway.oci.Digest;
import io.slipway.oci.DigestAlgorithm;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Passes bytes through while hashing them with sha256 and counting them, for example to compute a
 * layer's diff ID while extracting it. Skips are read (and so hashed), never jumped over. Not safe
 * for concurrent use.
 */
public final class DigestingInputStream extends FilterInputStream {

  private final MessageDigest hasher = DigestAlgorithm.SHA256.newHasher();
  private long count;

  public DigestingInputStream(InputStream in) {
    super(in);
  }

  @Override
  public int read() throws IOException {
    int b = in.read();
    if (b >= 0) {
      hasher.update((byte) b);
      count++;
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n > 0) {
      hasher.update(b, off, n);
      count += n;
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    byte[] buffer = new byte[(int) Math.min(8192, Math.max(n, 1))];
    long skipped = 0;
    while (skipped < n) {
      int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
      if (r < 0) {
        break;
      }
      skipped += r;
    }
    return skipped;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  /** Bytes read so far. */
  public long count() {
    return count;
  }

  /** The digest of everything read; call once, at end of stream. */
  public Digest digest() {
    return Digest.fromHash(DigestAlgorithm.SHA256, hasher.digest());
  }
}
