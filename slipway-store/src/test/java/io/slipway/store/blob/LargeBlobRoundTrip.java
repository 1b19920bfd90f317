package io.slipway.store.blob;

import io.slipway.oci.Digest;
import io.slipway.oci.DigestAlgorithm;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The child process of {@link LargeBlobTest}: writes a blob of the given size through a resumable
 * ingest (closing and resuming it halfway), then reads it back through a verified stream and
 * compares every byte with the generator. Exits 0 on success, 1 with a message on failure.
 *
 * <p>Run it with a small heap ({@code -Xmx64m}); any code path that buffers the blob fails with
 * {@link OutOfMemoryError}. Single-threaded.
 */
public final class LargeBlobRoundTrip {

  private static final int CHUNK = 1 << 20;

  private LargeBlobRoundTrip() {}

  public static void main(String[] args) {
    try {
      run(Path.of(args[0]), Long.parseLong(args[1]), Long.parseLong(args[2]));
      System.out.println("ok");
      System.exit(0);
    } catch (Throwable e) {
      System.out.println("FAILED: " + e);
      e.printStackTrace(System.out);
      System.exit(1);
    }
  }

  private static void run(Path root, long size, long heapLimit) throws IOException {
    long maxHeap = Runtime.getRuntime().maxMemory();
    if (maxHeap > heapLimit) {
      throw new AssertionError("heap limit not applied: max heap is " + maxHeap + " bytes");
    }
    if (size <= (long) Integer.MAX_VALUE) {
      throw new AssertionError("blob must exceed 2^31 - 1 bytes to catch int overflows: " + size);
    }
    try (FileBlobStore store = FileBlobStore.open(root)) {
      Bytes source = new Bytes(42);
      ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
      String id;
      long half = size / 2;
      try (BlobWriter writer = store.newWriter(DigestAlgorithm.SHA256)) {
        id = writer.id();
        writeUntil(writer, source, chunk, half);
      }
      Digest digest;
      try (BlobWriter writer = store.resumeWriter(id)) {
        writeUntil(writer, source, chunk, size);
        digest = writer.commit(writer.digest(DigestAlgorithm.SHA256), size);
      }
      if (store.size(digest).orElseThrow() != size) {
        throw new AssertionError("stored size " + store.size(digest) + " != " + size);
      }

      Bytes expected = new Bytes(42);
      byte[] read = new byte[CHUNK];
      ByteBuffer want = ByteBuffer.allocate(CHUNK);
      long total = 0;
      try (InputStream in = store.openVerified(digest)) {
        int n;
        while ((n = in.readNBytes(read, 0, CHUNK)) > 0) {
          want.clear();
          want.limit(n);
          expected.fill(want);
          int mismatch = Arrays.mismatch(read, 0, n, want.array(), 0, n);
          if (mismatch >= 0) {
            throw new AssertionError("byte " + (total + mismatch) + " differs from what was written");
          }
          total += n;
        }
      }
      if (total != size) {
        throw new AssertionError("read " + total + " bytes back, wrote " + size);
      }
    }
  }

  private static void writeUntil(BlobWriter writer, Bytes source, ByteBuffer chunk, long end)
      throws IOException {
    while (writer.size() < end) {
      chunk.clear();
      chunk.limit((int) Math.min(chunk.capacity(), end - writer.size()));
      source.fill(chunk);
      chunk.flip();
      writer.write(chunk);
    }
  }

  /** A deterministic byte sequence, generated in pieces of any length. Not thread-safe. */
  private static final class Bytes {
    private final SplittableRandom random;
    private long pending;
    private int pendingBytes;

    Bytes(long seed) {
      this.random = new SplittableRandom(seed);
    }

    /** Fills the buffer from its position to its limit with the next bytes of the sequence. */
    void fill(ByteBuffer buffer) {
      while (buffer.hasRemaining()) {
        if (pendingBytes == 0) {
          pending = random.nextLong();
          pendingBytes = 8;
        }
        buffer.put((byte) pending);
        pending >>>= 8;
        pendingBytes--;
      }
    }
  }
}
