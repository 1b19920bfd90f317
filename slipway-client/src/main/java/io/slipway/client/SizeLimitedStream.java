package io.slipway.client;

import io.slipway.oci.Descriptor;
import io.slipway.oci.Digest;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * A blob body checked while it streams through: it ends exactly at the descriptor's size (a
 * registry that sends more is refused, not read further), and at the end its bytes must hash to
 * the descriptor's digest, else the read fails before the consumer sees the last bytes or end of
 * stream. A body that starts mid-blob (a {@code Range} GET resuming a copy) continues from a
 * {@link HashCheckpoints checkpoint}'s hash, so the digest still covers the whole blob; the
 * stream records checkpoints as it goes. Confined to the one thread that reads it.
 */
final class SizeLimitedStream extends FilterInputStream {
  private final Descriptor blob;
  private final Repository source;
  private final TransferListener listener;
  private final HashCheckpoints checkpoints;
  private final MessageDigest hasher;
  private long position;
  private boolean reporting = true;

  /** A body that starts at byte 0 of the blob. */
  SizeLimitedStream(InputStream in, Descriptor blob, Repository source, TransferListener listener) {
    this(in, blob, source, listener, HashCheckpoints.start(blob.digest().algorithm()), 0);
  }

  private SizeLimitedStream(InputStream in, Descriptor blob, Repository source,
      TransferListener listener, HashCheckpoints checkpoints, long start) {
    super(in);
    this.blob = blob;
    this.source = source;
    this.listener = listener;
    this.checkpoints = checkpoints;
    this.position = start;
    this.hasher = checkpoints.hasherAt(start);
  }

  /**
   * A body that starts at {@code start}, which must be a checkpoint of {@code checkpoints};
   * checkpoints reached while reading are added there.
   */
  static SizeLimitedStream from(InputStream in, Descriptor blob, Repository source,
      TransferListener listener, HashCheckpoints checkpoints, long start) {
    return new SizeLimitedStream(in, blob, source, listener, checkpoints, start);
  }

  /** The blob offset of the next byte. */
  long position() {
    return position;
  }

  /**
   * Reads, hashes and drops bytes up to blob offset {@code target}: bytes the destination already
   * holds, which must still count towards the digest. They are not reported as progress again.
   */
  void discardTo(long target) throws IOException {
    byte[] scratch = new byte[64 * 1024];
    reporting = false;
    try {
      while (position < target) {
        read(scratch, 0, (int) Math.min(scratch.length, target - position));
      }
    } finally {
      reporting = true;
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    long remaining = blob.size() - position;
    if (remaining == 0) {
      if (super.read() >= 0) {
        throw tooLong();
      }
      return -1;
    }
    int n = super.read(buffer, offset, (int) Math.min(length, remaining));
    if (n < 0) {
      throw new java.io.EOFException("blob " + blob.digest() + " from " + source + " ended after "
          + position + " of " + blob.size() + " bytes");
    }
    hasher.update(buffer, offset, n);
    position += n;
    checkpoints.offer(position, hasher);
    if (reporting) {
      listener.progressed(blob.digest(), n);
    }
    if (position == blob.size()) {
      Digest actual = Digest.fromHash(blob.digest().algorithm(), hasher.digest());
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
