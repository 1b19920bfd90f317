package io.slipway.client;

import io.slipway.oci.Digest;
import io.slipway.store.blob.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.function.Supplier;

/**
 * A byte range of a stored blob as a request body, re-openable for every attempt, reporting the
 * bytes it hands out. Each opened stream is confined to the HTTP client's sending thread.
 */
final class BlobSlice extends InputStream {
  private final FileChannel channel;
  private final Digest digest;
  private final TransferListener listener;
  private long position;
  private final long end;

  private BlobSlice(FileChannel channel, Digest digest, long offset, long length,
      TransferListener listener) {
    this.channel = channel;
    this.digest = digest;
    this.position = offset;
    this.end = offset + length;
    this.listener = listener;
  }

  /** A publisher of {@code length} bytes of the blob from {@code offset}, with Content-Length. */
  static Supplier<HttpRequest.BodyPublisher> publisher(BlobStore store, Digest digest, long offset,
      long length, TransferListener listener) {
    return () -> HttpRequest.BodyPublishers.fromPublisher(
        HttpRequest.BodyPublishers.ofInputStream(() -> {
          try {
            return new BlobSlice(store.openChannel(digest), digest, offset, length, listener);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }), length);
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    if (position >= end) {
      return -1;
    }
    int wanted = (int) Math.min(length, end - position);
    int n = channel.read(ByteBuffer.wrap(buffer, offset, wanted), position);
    if (n < 0) {
      throw new IOException("blob " + digest + " ended at byte " + position + " before "
          + end + "; the store copy is shorter than its descriptor");
    }
    position += n;
    listener.progressed(digest, n);
    return n;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
