package io.slipway.build.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.build.cache.BuildImages;
import io.slipway.build.cache.ImageRecord;
import io.slipway.build.cache.LayerRef;
import io.slipway.build.export.Output;
import io.slipway.oci.Descriptor;
import io.slipway.oci.Digest;
import io.slipway.store.compress.Compression;
import io.slipway.testing.RequiresTool;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@RequiresTool(value = "busybox", debianPackage = "busybox-static")
class LayerCompressionTest {

  private static final String DOCKERFILE = """
      FROM busybox
      COPY a.txt /app/
      COPY b.txt /app/
      """;

  @TempDir Path dir;

  @Test
  void keepsLayersUncompressedUntilAnOutputShipsThem() throws Exception {
    try (BuildFixture fixture = new BuildFixture(dir)) {
      fixture.file("a.txt", "a");
      fixture.file("b.txt", "b");
      BuildResult local = fixture.build(DOCKERFILE);
      LayerRef built = local.image().layers().getLast();
      assertThat(built.blob().mediaType()).isEqualTo(Compression.NONE.layerMediaType());
      assertThat(built.blob().digest()).isEqualTo(built.diffId());
      long executions = fixture.engine.solver().executions();

      BuildResult shipped = fixture.build(DOCKERFILE, new Output.OciTar(dir.resolve("i.tar"),
          List.of(), Output.LayerSettings.DEFAULT));
      LayerRef gzip = shipped.image().layers().getLast();
      assertThat(fixture.engine.solver().executions()).as("every step a cache hit")
          .isEqualTo(executions);
      assertThat(gzip.blob().mediaType()).isEqualTo(Compression.GZIP.layerMediaType());
      assertThat(gzip.diffId()).isEqualTo(built.diffId());
      assertThat(shipped.image().config()).as("the config lists diff IDs only")
          .isEqualTo(local.image().config());
      assertThat(shipped.image().manifest()).isNotEqualTo(local.image().manifest());
      try (InputStream in = new GZIPInputStream(
          fixture.engine.store().openVerified(gzip.blob().digest()))) {
        assertThat(Digest.sha256(in.readAllBytes())).isEqualTo(built.diffId());
      }
    }
  }

  @Test
  void compressesEachLayerOncePerSettingsAndRecordsTheCopies() throws Exception {
    try (BuildFixture fixture = new BuildFixture(dir)) {
      fixture.file("a.txt", "a");
      fixture.file("b.txt", "b");
      Output first = Output.parse("type=oci,dest=" + dir.resolve("1.tar") + ",compression-level=1",
          List.of(), dir);
      BuildResult one = fixture.build(DOCKERFILE, first);
      long blobs = blobCount(fixture);
      Output second = Output.parse("type=docker,dest=" + dir.resolve("2.tar")
          + ",compression-level=1", List.of(), dir);
      BuildResult two = fixture.build(DOCKERFILE, second);
      assertThat(two.image().manifest()).isEqualTo(one.image().manifest());
      assertThat(blobCount(fixture)).as("nothing compressed again").isEqualTo(blobs);

      BuildResult zstd = fixture.build(DOCKERFILE, Output.parse("type=oci,dest="
          + dir.resolve("3.tar") + ",compression=zstd", List.of(), dir));
      assertThat(zstd.image().layers().getLast().blob().mediaType())
          .isEqualTo(Compression.ZSTD.layerMediaType());
      assertThat(zstd.image().config()).isEqualTo(one.image().config());

      // The exported images' records name their compressed layers, so fsck, prune and a
      // co-located registry's GC see them referenced.
      List<ImageRecord> records =
          new BuildImages(fixture.engine.database(), fixture.engine.store(), Clock.systemUTC()).entries();
      for (BuildResult shipped : List.of(one, zstd)) {
        ImageRecord record = records.stream()
            .filter(r -> r.root().equals(shipped.image().manifest().digest())).findFirst()
            .orElseThrow();
        assertThat(record.blobs()).map(Descriptor::digest)
            .contains(shipped.image().layers().getLast().blob().digest(),
                shipped.image().config().digest());
      }
    }
  }

  @Test
  void refusesToShipALayerWhoseStoredTarIsCorrupt() throws Exception {
    Path state = dir.resolve("state");
    try (BuildFixture fixture = new BuildFixture(dir, state)) {
      fixture.file("a.txt", "a");
      fixture.file("b.txt", "b");
      LayerRef layer = fixture.build(DOCKERFILE).image().layers().getLast();
      Path blob = fixture.engine.store().blobPath(layer.blob().digest());
      blob.toFile().setWritable(true);
      Files.write(blob, new byte[(int) layer.blob().size()]);
      Path archive = dir.resolve("i.tar");
      assertThatThrownBy(() -> fixture.build(DOCKERFILE,
          new Output.OciTar(archive, List.of(), Output.LayerSettings.DEFAULT)))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("stored layer " + layer.diffId() + " is corrupt");
      assertThat(archive).doesNotExist();
    }
  }

  private static long blobCount(BuildFixture fixture) throws IOException {
    try (var blobs = fixture.engine.store().list()) {
      return blobs.count();
    }
  }
}
