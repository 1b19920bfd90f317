package io.slipway.store.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.ZstdInputStream;
import io.slipway.oci.Digest;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

class CompressionTest {

  @TempDir Path temp;

  /** Compressible but not trivial: random words, several gzip blocks long. */
  private static byte[] sample(int size) {
    Random random = new Random(7);
    ByteArrayOutputStream out = new ByteArrayOutputStream(size);
    while (out.size() < size) {
      out.writeBytes(("word" + random.nextInt(5000) + (random.nextInt(9) == 0 ? "\n" : " ")).getBytes());
    }
    return java.util.Arrays.copyOf(out.toByteArray(), size);
  }

  private static CompressionResult compress(byte[] data, Compression c, int threads, OutputStream sink)
      throws IOException {
    CompressingOutputStream out = CompressingOutputStream.open(sink, c, -1, threads);
    out.write(data);
    return out.finish();
  }

  @Test
  void doesMatchJavaDecodersAndDigestsWhenGzipSpansManyMembers() throws IOException {
    byte[] data = sample(5 * GzipBlockOutputStream.DEFAULT_BLOCK_SIZE + 123);
    ByteArrayOutputStream blob = new ByteArrayOutputStream();

    CompressionResult result = compress(data, Compression.GZIP, 2, blob);

    assertThat(result.uncompressedDigest()).isEqualTo(Digest.sha256(data));
    assertThat(result.uncompressedSize()).isEqualTo(data.length);
    assertThat(result.compressedDigest()).isEqualTo(Digest.sha256(blob.toByteArray()));
    assertThat(result.compressedSize()).isEqualTo(blob.size());
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(blob.toByteArray()))) {
      assertThat(in.readAllBytes()).isEqualTo(data);
    }
    byte[] header = java.util.Arrays.copyOf(blob.toByteArray(), 10);
    assertThat(header).containsExactly(0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff);
  }

  @Test
  void doesMatchJavaDecoderAndDigestsWhenZstd() throws IOException {
    byte[] data = sample(2_000_000);
    ByteArrayOutputStream blob = new ByteArrayOutputStream();

    CompressionResult result = compress(data, Compression.ZSTD, 1, blob);

    assertThat(result.uncompressedDigest()).isEqualTo(Digest.sha256(data));
    assertThat(result.compressedDigest()).isEqualTo(Digest.sha256(blob.toByteArray()));
    try (InputStream in = new ZstdInputStream(new ByteArrayInputStream(blob.toByteArray()))) {
      assertThat(in.readAllBytes()).isEqualTo(data);
    }
  }

  @Test
  void doesWriteAValidGzipWhenInputIsEmpty() throws IOException {
    ByteArrayOutputStream blob = new ByteArrayOutputStream();

    compress(new byte[0], Compression.GZIP, 1, blob);

    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(blob.toByteArray()))) {
      assertThat(in.readAllBytes()).isEmpty();
    }
  }

  @Test
  void doesLeaveTheSinkOpenWhenFinished() throws IOException {
    ByteArrayOutputStream target = new ByteArrayOutputStream();
    boolean[] closed = {false};
    OutputStream sink =
        new java.io.FilterOutputStream(target) {
          @Override
          public void close() {
            closed[0] = true;
          }
        };

    compress(sample(1000), Compression.ZSTD, 1, sink);

    assertThat(closed[0]).isFalse();
  }

  @Test
  void doesDetectEveryCompressionByMagicBytes() throws IOException {
    byte[] data = sample(10_000);
    ByteArrayOutputStream gzip = new ByteArrayOutputStream();
    compress(data, Compression.GZIP, 1, gzip);
    ByteArrayOutputStream zstd = new ByteArrayOutputStream();
    compress(data, Compression.ZSTD, 1, zstd);
    ByteArrayOutputStream bzip2 = new ByteArrayOutputStream();
    try (OutputStream out = new BZip2CompressorOutputStream(bzip2)) {
      out.write(data);
    }
    ByteArrayOutputStream xz = new ByteArrayOutputStream();
    try (OutputStream out = new XZOutputStream(xz, new LZMA2Options())) {
      out.write(data);
    }

    for (var c : new Object[][] {
      {gzip, Compression.GZIP}, {zstd, Compression.ZSTD}, {bzip2, Compression.BZIP2}, {xz, Compression.XZ}
    }) {
      byte[] bytes = ((ByteArrayOutputStream) c[0]).toByteArray();
      assertThat(Compression.detect(new BufferedInputStream(new ByteArrayInputStream(bytes))))
          .isEqualTo(c[1]);
      try (InputStream in = Compression.decompressDetected(new ByteArrayInputStream(bytes))) {
        assertThat(in.readAllBytes()).as("%s", c[1]).isEqualTo(data);
      }
    }
    assertThat(Compression.detect(new BufferedInputStream(new ByteArrayInputStream(data))))
        .isEqualTo(Compression.NONE);
  }

  @Test
  void doesRefuseToWriteCompressionsLayersDoNotUse() {
    assertThatThrownBy(() -> CompressingOutputStream.open(OutputStream.nullOutputStream(), Compression.XZ, -1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cannot write XZ layers");
  }

  @Test
  @io.slipway.testing.RequiresTool(value = {"gzip", "zstd"}, debianPackage = "gzip zstd")
  void doesDecompressWithTheCommandLineToolsToTheSameDigest() throws Exception {
    byte[] data = sample(3 * GzipBlockOutputStream.DEFAULT_BLOCK_SIZE + 5);
    for (Compression c : new Compression[] {Compression.GZIP, Compression.ZSTD}) {
      Path blob = temp.resolve("blob." + c);
      CompressionResult result;
      try (OutputStream out = Files.newOutputStream(blob)) {
        result = compress(data, c, 2, out);
      }
      String tool = c == Compression.GZIP ? "gzip" : "zstd";
      Process process =
          new ProcessBuilder(tool, "-d", "-c", blob.toString())
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      byte[] decoded = process.getInputStream().readAllBytes();
      assertThat(process.waitFor()).as(tool + " exit code").isZero();
      assertThat(Digest.sha256(decoded)).as(tool).isEqualTo(result.uncompressedDigest());
    }
  }
}
