package io.slipway.registry.api;

import io.slipway.oci.Digest;
import io.slipway.registry.ErrorCode;
import io.slipway.registry.Exchange;
import io.slipway.registry.Registry;
import io.slipway.registry.RegistryException;
import io.slipway.registry.WireCall;
import io.slipway.store.blob.BlobNotFoundException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;

/**
 * Serves a blob, whole or one {@code Range} (206), from the store without copying it through the
 * heap: the file is memory-mapped a window at a time and each window is written straight to the
 * socket, so a 2 GiB blob needs no more heap than a 2 KiB one. HEAD answers the headers only.
 * Thread-safe.
 */
// GET /v2/<name>/blobs/<digest>
// HEAD /v2/<name>/blobs/<digest>
public final class BlobGet implements WireCall {
  /** Mapped window per write; large enough to amortize mapping, small enough for 32-bit maps. */
  private static final long WINDOW = 16L * 1024 * 1024;

  private final Registry registry;

  public BlobGet(Registry registry) {
    this.registry = registry;
  }

  @Override
  public void serve(Exchange exchange) throws Exception {
    Digest digest = Exchange.parseDigest(exchange.reference());
    // Visibility is per repository: a digest guessed from another repository is unknown here.
    if (registry.metadata().linkedBlobSize(exchange.name(), digest).isEmpty()) {
      throw unknown(exchange, digest);
    }
    FileChannel channel;
    try {
      channel = registry.blobs().openChannel(digest);
    } catch (BlobNotFoundException e) {
      throw unknown(exchange, digest);
    }
    try (channel) {
      long size = channel.size();
      Optional<ByteRange> range = ByteRange.parse(exchange.header("Range").orElse(null), size);
      long start = range.map(ByteRange::start).orElse(0L);
      long length = range.map(ByteRange::length).orElse(size);
      exchange.setStatus(range.isPresent() ? 206 : 200);
      exchange.setHeader("Docker-Content-Digest", digest.toString());
      exchange.setHeader("ETag", "\"" + digest + "\"");
      exchange.setHeader("Accept-Ranges", "bytes");
      exchange.setHeader("Content-Type", "application/octet-stream");
      exchange.response().getHeaders().put(HttpHeader.CONTENT_LENGTH, length);
      range.ifPresent(
          r -> exchange.setHeader("Content-Range", "bytes " + r.start() + "-" + r.end() + "/" + size));
      if (exchange.isHead() || length == 0) {
        exchange.write(ByteBuffer.allocate(0), true);
        return;
      }
      long position = start;
      long end = start + length;
      while (position < end) {
        long window = Math.min(WINDOW, end - position);
        ByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, position, window);
        position += window;
        exchange.write(mapped, position == end);
      }
    }
  }

  private static RegistryException unknown(Exchange exchange, Digest digest) {
    return RegistryException.of(
        ErrorCode.BLOB_UNKNOWN,
        "blob " + digest + " is not in repository " + exchange.name(),
        java.util.Map.of("digest", digest.toString()));
  }
}
