package io.slipway.store.compress;

import com.github.luben.zstd.ZstdInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * The compressions a layer (or an {@code ADD}ed archive) may come in, recognised by their magic
 * bytes rather than by a file name or media type, which can lie. Slipway writes {@link #NONE},
 * {@link #GZIP} and {@link #ZSTD}; it reads all five. Immutable.
 */
public enum Compression {
  NONE(""),
  GZIP("+gzip"),
  ZSTD("+zstd"),
  BZIP2(""),
  XZ("");

  /** Media type of an uncompressed OCI layer. */
  public static final String OCI_LAYER_MEDIA_TYPE = "application/vnd.oci.image.layer.v1.tar";

  private final String mediaTypeSuffix;

  Compression(String mediaTypeSuffix) {
    this.mediaTypeSuffix = mediaTypeSuffix;
  }

  /** True for the compressions OCI layer media types name, which Slipway can write. */
  public boolean isWritable() {
    return this == NONE || this == GZIP || this == ZSTD;
  }

  /**
   * The OCI layer media type for this compression.
   *
   * @throws IllegalStateException for bzip2 and xz, which OCI layers do not use
   */
  public String layerMediaType() {
    if (!isWritable()) {
      throw new IllegalStateException(this + " has no OCI layer media type");
    }
    return OCI_LAYER_MEDIA_TYPE + mediaTypeSuffix;
  }

  /**
   * Identifies the compression of what {@code in} yields next without consuming it. The stream
   * must support {@link InputStream#mark}.
   */
  public static Compression detect(InputStream in) throws IOException {
    if (!in.markSupported()) {
      throw new IllegalArgumentException("detect needs a stream that supports mark/reset");
    }
    byte[] magic = new byte[6];
    in.mark(magic.length);
    int n;
    try {
      n = in.readNBytes(magic, 0, magic.length);
    } finally {
      in.reset();
    }
    if (n >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
      return GZIP;
    }
    if (n >= 4
        && (magic[1] & 0xff) == 0xb5
        && (magic[2] & 0xff) == 0x2f
        && (magic[3] & 0xff) == 0xfd
        && (magic[0] & 0xff) == 0x28) {
      return ZSTD;
    }
    // Skippable zstd frames (0x184D2A50..5F, little-endian) may precede the data frames.
    if (n >= 4
        && (magic[0] & 0xf0) == 0x50
        && (magic[1] & 0xff) == 0x2a
        && (magic[2] & 0xff) == 0x4d
        && (magic[3] & 0xff) == 0x18) {
      return ZSTD;
    }
    if (n >= 3 && magic[0] == 'B' && magic[1] == 'Z' && magic[2] == 'h') {
      return BZIP2;
    }
    if (n >= 6
        && (magic[0] & 0xff) == 0xfd
        && magic[1] == '7'
        && magic[2] == 'z'
        && magic[3] == 'X'
        && magic[4] == 'Z'
        && magic[5] == 0) {
      return XZ;
    }
    return NONE;
  }

  /** Wraps {@code in}, which holds data in this compression, in a decompressing stream. */
  public InputStream decompress(InputStream in) throws IOException {
    return switch (this) {
      case NONE -> in;
      // GZIPInputStream reads concatenated members, which Slipway's parallel gzip writes.
      case GZIP -> new GZIPInputStream(in, 64 * 1024);
      case ZSTD -> new ZstdInputStream(in);
      case BZIP2 -> new BZip2CompressorInputStream(in, true);
      case XZ -> new XZInputStream(in);
    };
  }

  /** Detects the compression of {@code in} and returns a stream of the decompressed bytes. */
  public static InputStream decompressDetected(InputStream in) throws IOException {
    BufferedInputStream buffered =
        in instanceof BufferedInputStream b ? b : new BufferedInputStream(in, 64 * 1024);
    return detect(buffered).decompress(buffered);
  }
}
