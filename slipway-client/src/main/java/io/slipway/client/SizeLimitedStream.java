package io.slipway.client;

import io.slipway.oci.Descriptor;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * A blob body checked while it streams through: it ends exactly at the descriptor's size (a
 * registry that sends more is refused, not read further), and at the end its bytes must hash to
 * the descriptor's digest, else the read fails before the consumer sees end of stream. Confined
 * to the one thread that reads it.
 */
final class SizeLimitedStream extends FilterInputStream {
  private final Descriptor blob;
  private final Repository source;
  private final TransferListener listener;
  private final MessageDigest hasher;
  private long count;

  SizeLimitedStream(InputStream in, Descriptor blob, Repository source, TransferListener listener) {
    super(in);
    this.blob = blob;
    this.source = source;
    this.listener = listener;
    this.hasher = blob.digest().algorithm().newHasher();
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    long remaining = blob.size() - count;
    if (remaining == 0) {
      if (super.read() >= 0) {
        throw tooLong();
      }
      return -1;
    }
    int n = super.read(buffer, offset, (int) Math.min(length, remaining));
    if (n < 0) {
      throw new java.io.EOFException("blob " + blob.digest() + " from " + source + " ended after "
          + count + " of " + blob.size() + " bytes");
    }
    hasher.update(buffer, offset, n);
    count += n;
    listener.progressed(blob.digest(), n);
    if (count == blob.size()) {
      io.slipway.oci.Digest actual =
          io.slipway.oci.Digest.fromHash(blob.digest().algorithm(), hasher.digest());
      if (!actual.equals(blob.digest())) {
        throw new ContentMismatchException("blob " + blob.digest() + " from " + source
            + " hashes to " + actual + "; refused");
      }
    }
    return n;
  }

  private ContentMismatchException tooLong() {
    return new ContentMismatchException("blob " + blob.digest() + " from " + source
        + " is longer than its descriptor's " + blob.size() + " bytes; stopped reading there");
  }
}
