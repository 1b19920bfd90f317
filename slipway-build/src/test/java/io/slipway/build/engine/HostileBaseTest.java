package io.slipway.build.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.build.dockerfile.DockerfileParser;
import io.slipway.build.solver.Executor;
import io.slipway.build.solver.OciLayoutImages;
import io.slipway.build.solver.SolveListener;
import io.slipway.oci.Digest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base images whose layers try to write outside the snapshot: {@code ../} names, and a symlink to
 * an absolute host path followed by a write through it. The build either refuses the layer or keeps
 * every write inside the root; nothing appears on the host.
 */
class HostileBaseTest {

  @TempDir Path dir;

  /** A one-layer OCI layout whose layer is the uncompressed tar {@code layer}. */
  private static Path layout(Path dir, byte[] layer) throws IOException {
    Path blobs = Files.createDirectories(dir.resolve("blobs/sha256"));
    Digest layerDigest = Digest.sha256(layer);
    Files.write(blobs.resolve(layerDigest.encoded()), layer);
    byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},"
        + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + layerDigest + "\"]}}")
        .getBytes(StandardCharsets.UTF_8);
    Digest configDigest = Digest.sha256(config);
    Files.write(blobs.resolve(configDigest.encoded()), config);
    byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":"
        + "\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":"
        + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest
        + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":"
        + "\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"" + layerDigest
        + "\",\"size\":" + layer.length + "}]}").getBytes(StandardCharsets.UTF_8);
    Digest manifestDigest = Digest.sha256(manifest);
    Files.write(blobs.resolve(manifestDigest.encoded()), manifest);
    Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{"
        + "\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\""
        + manifestDigest + "\",\"size\":" + manifest.length + "}]}");
    return dir;
  }

  private interface Entries {
    void write(TarArchiveOutputStream tar) throws IOException;
  }

  private static byte[] tar(Entries entries) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      entries.write(tar);
    }
    return bytes.toByteArray();
  }

  private static void file(TarArchiveOutputStream tar, String name, String content)
      throws IOException {
    byte[] data = content.getBytes(StandardCharsets.UTF_8);
    TarArchiveEntry entry = new TarArchiveEntry(name, true);
    entry.setSize(data.length);
    entry.setMode(0100644);
    tar.putArchiveEntry(entry);
    tar.write(data);
    tar.closeArchiveEntry();
  }

  private BuildResult build(Path layout, String dockerfile) throws Exception {
    Path context = Files.createDirectories(dir.resolve("context"));
    Files.writeString(context.resolve("payload.txt"), "p");
    try (BuildEngine engine = BuildEngine.open(dir.resolve("state"),
        store -> new OciLayoutImages(store, Map.of("hostile", layout), (r, p) -> {
          throw new IOException("no registry: " + r);
        }), Optional.empty(), Executor.unavailable(), 2, Clock.systemUTC())) {
      Path out = Files.createDirectories(dir.resolve("out"));
      return engine.build(BuildRequest.of(DockerfileParser.parse("Dockerfile", dockerfile), context)
          .withOutputs(java.util.List.of(new io.slipway.build.export.Output.LocalDirectory(out,
              io.slipway.build.export.Output.LayerSettings.DEFAULT))), SolveListener.NONE);
    }
  }

  @Test
  void namesTheLayerAndEntryWhenBaseLayerIsTruncated() throws Exception {
    byte[] whole = tar(t -> file(t, "big.txt", "x".repeat(4096)));
    byte[] truncated = java.util.Arrays.copyOf(whole, 512 + 1000);
    Path layout = layout(dir.resolve("layout"), truncated);

    assertThatThrownBy(() -> build(layout, "FROM hostile\nCOPY payload.txt /\n"))
        .hasMessageContaining("layer " + Digest.sha256(truncated) + " of the base image")
        .hasMessageContaining("big.txt");
  }

  @Test
  void refusesBaseLayerWhenEntryNameClimbsOutOfRoot() throws Exception {
    Path victim = dir.resolve("victim.txt");
    Path layout = layout(dir.resolve("layout"), tar(t -> {
      file(t, "ok.txt", "fine");
      file(t, "../../../../../../../../.." + victim, "escaped");
    }));
    assertThatThrownBy(() -> build(layout, "FROM hostile\nCOPY payload.txt /\n"))
        .hasMessageContaining("..");
    assertThat(victim).doesNotExist();
  }

  @Test
  void keepsWritesInsideRootWhenBaseLayerWritesThroughAbsoluteSymlink() throws Exception {
    Path outside = Files.createDirectories(dir.resolve("host-dir"));
    Path layout = layout(dir.resolve("layout"), tar(t -> {
      TarArchiveEntry link = new TarArchiveEntry("evil", TarArchiveEntry.LF_SYMLINK);
      link.setLinkName(outside.toString());
      t.putArchiveEntry(link);
      t.closeArchiveEntry();
      file(t, "evil/pwned.txt", "from the layer");
    }));
    build(layout, "FROM hostile\nCOPY payload.txt /evil/\n");
    assertThat(outside.resolve("pwned.txt")).doesNotExist();
    assertThat(outside.resolve("payload.txt")).doesNotExist();
    Path root = dir.resolve("out");
    assertThat(root.resolve(outside.toString().substring(1)).resolve("pwned.txt"))
        .hasContent("from the layer");
    assertThat(root.resolve(outside.toString().substring(1)).resolve("payload.txt"))
        .hasContent("p");
  }
}
