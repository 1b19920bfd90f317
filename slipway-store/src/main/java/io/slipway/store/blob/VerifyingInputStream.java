package io.slipway.store.blob;

import io.slipway.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * Reads a stored blob while re-hashing it, and fails at end of stream with {@link
 * BlobCorruptedException} when the bytes do not match the blob's name. Skipped bytes are read and
 * hashed too, so no part of the blob escapes the check.
 *
 * <p>Not safe for concurrent use, like any {@link InputStream}.
 */
final class VerifyingInputStream extends InputStream {

  private final FileChannel channel;
  private final Digest expected;
  private final MessageDigest hasher;
  private BlobCorruptedException failure;
  private boolean verified;

  VerifyingInputStream(FileChannel channel, Digest expected) {
    this.channel = channel;
    this.expected = expected;
    this.hasher = expected.algorithm().newHasher();
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int read = read(one, 0, 1);
    return read < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    Objects.checkFromIndexSize(offset, length, buffer.length);
    if (failure != null) {
      throw failure;
    }
    if (verified) {
      return -1;
    }
    if (length == 0) {
      return 0;
    }
    int read = channel.read(ByteBuffer.wrap(buffer, offset, length));
    if (read > 0) {
      hasher.update(buffer, offset, read);
      return read;
    }
    if (read == 0) {
      return 0;
    }
    Digest actual = Digest.fromHash(expected.algorithm(), hasher.digest());
    if (!actual.equals(expected)) {
      failure = new BlobCorruptedException(expected, actual);
      throw failure;
    }
    verified = true;
    return -1;
  }

  @Override
  public int available() throws IOException {
    long left = channel.size() - channel.position();
    return (int) Math.max(0, Math.min(Integer.MAX_VALUE, left));
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
