package io.slipway.store.compress;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Compresses what is written to it into a caller-owned sink, hashing both sides in the same pass:
 * the uncompressed bytes (a layer's diff ID) and the compressed bytes (its blob digest), so a layer
 * is written exactly once. {@link #finish()} completes the compressed stream and returns both
 * digests; the sink is flushed but never closed. Not safe for concurrent use.
 */
public final class CompressingOutputStream extends OutputStream {

  /** Default zstd level, matching the zstd command line's default. */
  public static final int DEFAULT_ZSTD_LEVEL = 3;

  /** Default gzip level, matching the reference builder's default. */
  public static final int DEFAULT_GZIP_LEVEL = 6;

  private final Compression compression;
  private final DigestingOutputStream uncompressed;
  private final DigestingOutputStream compressed;
  private CompressionResult result;

  private CompressingOutputStream(
      Compression compression,
      DigestingOutputStream compressed,
      DigestingOutputStream uncompressed) {
    this.compression = compression;
    this.compressed = compressed;
    this.uncompressed = uncompressed;
  }

  /**
   * Opens a compressing stream into {@code sink}.
   *
   * @param level gzip 0–9 or zstd 1–22; negative for the default of the compression
   * @param threads gzip compression threads (output is identical for any count); ignored otherwise
   */
  public static CompressingOutputStream open(
      OutputStream sink, Compression compression, int level, int threads) throws IOException {
    if (!compression.isWritable()) {
      throw new IllegalArgumentException("cannot write " + compression + " layers");
    }
    DigestingOutputStream compressed = new DigestingOutputStream(sink, false);
    OutputStream compressor =
        switch (compression) {
          case NONE -> new BufferedOutputStream(compressed, 64 * 1024);
          case GZIP ->
              new GzipBlockOutputStream(
                  compressed,
                  level < 0 ? DEFAULT_GZIP_LEVEL : level,
                  threads,
                  GzipBlockOutputStream.DEFAULT_BLOCK_SIZE);
          case ZSTD -> {
            int zstdLevel = level < 0 ? DEFAULT_ZSTD_LEVEL : level;
            if (zstdLevel < 1 || zstdLevel > 22) {
              throw new IllegalArgumentException("zstd level must be 1-22, got " + zstdLevel);
            }
            yield new BufferedOutputStream(new ZstdOutputStream(compressed, zstdLevel), 64 * 1024);
          }
          case BZIP2, XZ -> throw new IllegalStateException("unreachable: " + compression);
        };
    DigestingOutputStream uncompressed = new DigestingOutputStream(compressor, true);
    return new CompressingOutputStream(compression, compressed, uncompressed);
  }

  @Override
  public void write(int b) throws IOException {
    uncompressed.write(b);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    uncompressed.write(b, off, len);
  }

  /** Completes the compressed stream and returns the digests; later calls return the same. */
  public CompressionResult finish() throws IOException {
    if (result == null) {
      // Closing the compressor chain ends the gzip/zstd stream; the digesting stream in front of
      // the sink flushes instead of closing it.
      uncompressed.close();
      result =
          new CompressionResult(
              compression,
              uncompressed.digest(),
              uncompressed.count(),
              compressed.digest(),
              compressed.count());
    }
    return result;
  }

  /** Same as {@link #finish()}; the sink stays open. */
  @Override
  public void close() throws IOException {
    finish();
  }
}
