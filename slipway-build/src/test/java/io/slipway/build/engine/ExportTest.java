package io.slipway.build.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.build.export.Output;
import io.slipway.store.compress.Compression;
import io.slipway.testing.RequiresTool;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@RequiresTool(value = "busybox", debianPackage = "busybox-static")
class ExportTest {

  private static final String DOCKERFILE = """
      FROM busybox
      COPY a.txt /app/
      ENV MODE=prod
      USER 1000
      WORKDIR /app
      LABEL team=build
      EXPOSE 8080/udp
      VOLUME /data
      STOPSIGNAL SIGTERM
      HEALTHCHECK CMD ["true"]
      ENTRYPOINT ["/bin/sh"]
      CMD ["-c", "cat a.txt"]
      """;

  @TempDir Path dir;

  private static Map<String, byte[]> entries(Path tar) throws IOException {
    Map<String, byte[]> result = new TreeMap<>();
    try (InputStream in = Files.newInputStream(tar);
        TarArchiveInputStream archive = new TarArchiveInputStream(in)) {
      for (TarArchiveEntry entry; (entry = archive.getNextEntry()) != null; ) {
        result.put(entry.getName(), archive.readAllBytes());
      }
    }
    return result;
  }

  @Test
  void writesOciArchiveWithConfigLikeReferenceBuilder() throws Exception {
    try (BuildFixture fixture = new BuildFixture(dir)) {
      fixture.file("a.txt", "a");
      Path archive = dir.resolve("image.tar");
      BuildResult result = fixture.build(DOCKERFILE,
          new Output.OciTar(archive, List.of("example.com/app:1"), Output.LayerSettings.DEFAULT));
      Map<String, byte[]> entries = entries(archive);
      assertThat(entries).containsKeys("oci-layout", "index.json",
          "blobs/sha256/" + result.image().manifest().digest().encoded(),
          "blobs/sha256/" + result.image().config().digest().encoded());
      assertThat(new String(entries.get("index.json"), StandardCharsets.UTF_8))
          .contains("\"org.opencontainers.image.ref.name\":\"1\"");
      var config = result.image().configValue();
      assertThat(config.config().env()).contains("MODE=prod");
      assertThat(config.config().user()).isEqualTo("1000");
      assertThat(config.config().workingDir()).isEqualTo("/app");
      assertThat(config.config().labels()).containsEntry("team", "build");
      assertThat(config.config().exposedPorts()).containsExactly("8080/udp");
      assertThat(config.config().volumes()).containsExactly("/data");
      assertThat(config.config().stopSignal()).isEqualTo("SIGTERM");
      assertThat(config.config().healthcheck().test()).containsExactly("CMD", "true");
      assertThat(config.config().entrypoint()).containsExactly("/bin/sh");
      assertThat(config.config().cmd()).containsExactly("-c", "cat a.txt");
      assertThat(config.created()).isEqualTo("2024-06-01T00:00:00Z");
      assertThat(config.history().stream().map(h -> h.createdBy()).toList())
          .contains("COPY a.txt /app/ # buildkit", "ENV MODE=prod", "WORKDIR /app");
      long layered = config.history().stream().filter(h -> !h.emptyLayer()).count();
      assertThat(layered).isEqualTo(config.diffIds().size());
    }
  }

  @Test
  void writesDockerArchiveWithManifestJsonWhenTypeIsDocker() throws Exception {
    try (BuildFixture fixture = new BuildFixture(dir)) {
      fixture.file("a.txt", "a");
      Path archive = dir.resolve("docker.tar");
      BuildResult result = fixture.build(DOCKERFILE,
          new Output.DockerTar(archive, List.of("app:1"), Output.LayerSettings.DEFAULT));
      String manifest = new String(entries(archive).get("manifest.json"), StandardCharsets.UTF_8);
      assertThat(manifest).contains("\"RepoTags\":[\"app:1\"]")
          .contains("blobs/sha256/" + result.image().config().digest().encoded());
    }
  }

  @Test
  void writesRootfsTarWhenTypeIsTar() throws Exception {
    try (BuildFixture fixture = new BuildFixture(dir)) {
      fixture.file("a.txt", "a");
      Path tar = dir.resolve("rootfs.tar");
      fixture.build(DOCKERFILE, new Output.RootfsTar(tar, Output.LayerSettings.DEFAULT));
      Map<String, byte[]> entries = entries(tar);
      assertThat(entries).containsKeys("app/a.txt", "bin/busybox");
      assertThat(new String(entries.get("app/a.txt"), StandardCharsets.UTF_8)).isEqualTo("a");
    }
  }

  @Test
  void writesZstdLayersWhenCompressionIsZstd() throws Exception {
    try (BuildFixture fixture = new BuildFixture(dir)) {
      fixture.file("a.txt", "a");
      Output output = Output.parse("type=oci,dest=" + dir.resolve("z.tar")
          + ",compression=zstd,compression-level=3", List.of(), dir);
      BuildResult result = fixture.build(DOCKERFILE, output);
      assertThat(result.image().layers().getLast().blob().mediaType())
          .isEqualTo(Compression.ZSTD.layerMediaType());
    }
  }

  @Test
  void givesSameDigestsAndBytesWhenBuiltTwiceFromScratch() throws Exception {
    List<String> digests = new ArrayList<>();
    List<byte[]> archives = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Path run = Files.createDirectories(dir.resolve("run" + i));
      try (BuildFixture fixture = new BuildFixture(run)) {
        fixture.file("a.txt", "a");
        // Different file times in each run: SOURCE_DATE_EPOCH with rewrite-timestamp hides them.
        Files.setLastModifiedTime(fixture.context.resolve("a.txt"),
            java.nio.file.attribute.FileTime.fromMillis(1_000_000L * (i + 1)));
        Path archive = run.resolve("image.tar");
        BuildResult result = fixture.build(DOCKERFILE, Output.parse(
            "type=oci,dest=" + archive + ",rewrite-timestamp=true", List.of("app:1"), dir));
        digests.add(result.image().manifest().digest().toString());
        archives.add(Files.readAllBytes(archive));
      }
    }
    assertThat(digests.get(1)).isEqualTo(digests.get(0));
    assertThat(archives.get(1)).isEqualTo(archives.get(0));
  }
}
