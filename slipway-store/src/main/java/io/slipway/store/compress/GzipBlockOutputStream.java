package io.slipway.store.compress;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Deterministic gzip, optionally compressed on several threads. The input is cut into fixed-size
 * blocks and each block becomes one complete gzip member (RFC 1952 allows a file to be a
 * concatenation of members; gzip, Go's reader and {@link java.util.zip.GZIPInputStream} all read
 * it as one stream). Because the cut points depend only on the block size, the output is the same
 * whatever the thread count, so digests do not vary with the machine. Each member header carries
 * no name and no time, and OS byte 255 ("unknown"). Input shorter than one block gives exactly one
 * member, the same bytes a single-threaded run gives.
 *
 * <p>Memory is bounded by {@code 2 × threads} blocks in flight plus their compressed forms. Not
 * safe for concurrent use: one thread writes; the stream owns its compression threads and stops
 * them on {@link #close()}, which also closes the underlying stream.
 */
public final class GzipBlockOutputStream extends OutputStream {

  /** Default block size: large enough that the dictionary reset per member costs well under 1%. */
  public static final int DEFAULT_BLOCK_SIZE = 1 << 20;

  private static final byte[] HEADER = {
    0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 255,
  };

  private final OutputStream out;
  private final int level;
  private final int maxInFlight;
  private final ExecutorService executor;
  private final ArrayDeque<Future<byte[]>> inFlight = new ArrayDeque<>();
  private byte[] block;
  private int filled;
  private boolean wroteMember;
  private boolean closed;

  /**
   * @param level deflate level 0–9
   * @param threads compression threads; 1 compresses on the writing thread
   * @param blockSize uncompressed bytes per member
   */
  public GzipBlockOutputStream(OutputStream out, int level, int threads, int blockSize) {
    if (level < 0 || level > 9) {
      throw new IllegalArgumentException("gzip level must be 0-9, got " + level);
    }
    if (threads < 1 || blockSize < 1024) {
      throw new IllegalArgumentException("threads >= 1 and blockSize >= 1024 required");
    }
    this.out = out;
    this.level = level;
    this.block = new byte[blockSize];
    this.maxInFlight = threads * 2;
    this.executor =
        threads == 1
            ? null
            : Executors.newFixedThreadPool(
                threads, Thread.ofPlatform().daemon().name("slipway-gzip-", 0).factory());
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    ensureOpen();
    while (len > 0) {
      int n = Math.min(len, block.length - filled);
      System.arraycopy(b, off, block, filled, n);
      filled += n;
      off += n;
      len -= n;
      if (filled == block.length) {
        emitBlock();
      }
    }
  }

  private void emitBlock() throws IOException {
    byte[] data = block;
    int length = filled;
    block = new byte[block.length];
    filled = 0;
    wroteMember = true;
    if (executor == null) {
      out.write(member(data, length, level));
      return;
    }
    inFlight.add(executor.submit(() -> member(data, length, level)));
    while (inFlight.size() >= maxInFlight) {
      out.write(await(inFlight.removeFirst()));
    }
  }

  private static byte[] await(Future<byte[]> future) throws IOException {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while compressing");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UncheckedIOException u) {
        throw u.getCause();
      }
      throw new IOException("gzip compression failed", e.getCause());
    }
  }

  /** One complete gzip member holding {@code data[0, length)}. */
  static byte[] member(byte[] data, int length, int level) {
    Deflater deflater = new Deflater(level, true);
    try {
      ByteArrayOutputStream member = new ByteArrayOutputStream(length / 2 + 64);
      member.write(HEADER, 0, HEADER.length);
      deflater.setInput(data, 0, length);
      deflater.finish();
      byte[] buffer = new byte[64 * 1024];
      while (!deflater.finished()) {
        int n = deflater.deflate(buffer);
        member.write(buffer, 0, n);
      }
      CRC32 crc = new CRC32();
      crc.update(data, 0, length);
      writeIntLe(member, (int) crc.getValue());
      writeIntLe(member, length);
      return member.toByteArray();
    } finally {
      deflater.end();
    }
  }

  private static void writeIntLe(ByteArrayOutputStream out, int value) {
    out.write(value);
    out.write(value >>> 8);
    out.write(value >>> 16);
    out.write(value >>> 24);
  }

  private void ensureOpen() throws IOException {
    if (closed) {
      throw new IOException("stream closed");
    }
  }

  /** Writes every pending member; the gzip stream is complete once this returns. */
  public void finish() throws IOException {
    ensureOpen();
    if (filled > 0 || !wroteMember) {
      emitBlock();
    }
    while (!inFlight.isEmpty()) {
      out.write(await(inFlight.removeFirst()));
    }
    out.flush();
  }

  @Override
  public void flush() throws IOException {
    out.flush();
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    try {
      finish();
    } finally {
      closed = true;
      if (executor != null) {
        inFlight.forEach(f -> f.cancel(true));
        executor.shutdownNow();
      }
      out.close();
    }
  }
}
