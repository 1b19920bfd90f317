package io.slipway.build.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.build.cache.BuildContentIndex;
import io.slipway.build.cache.BuildImages;
import io.slipway.build.cache.ImageRecord;
import io.slipway.build.cache.LayerRef;
import io.slipway.build.solver.SolvedVertex;
import io.slipway.oci.Digest;
import io.slipway.store.blob.FileBlobStore;
import io.slipway.testing.RequiresTool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@RequiresTool(value = "busybox", debianPackage = "busybox-static")
class BuildRecoveryTest {

  private static final String DOCKERFILE = """
      FROM busybox
      COPY a.txt /a/
      COPY b.txt /b/
      """;

  @TempDir Path dir;

  private Path state() {
    return dir.resolve("state");
  }

  private BuildResult buildOnce() throws Exception {
    try (BuildFixture fixture = new BuildFixture(dir)) {
      fixture.file("a.txt", "a");
      fixture.file("b.txt", "b");
      return fixture.build(DOCKERFILE);
    }
  }

  private static LayerRef lastLayerOfCopy(BuildResult result, String path) {
    SolvedVertex copy = result.solution().vertices().values().stream()
        .filter(v -> v.vertex().description().contains("COPY " + path))
        .findFirst()
        .orElseThrow();
    return copy.record().chain().getLast();
  }

  @Test
  void dropsRecordsWhoseLayerIsMissingAndRebuildsWhenOpened() throws Exception {
    BuildResult first = buildOnce();
    LayerRef layer = lastLayerOfCopy(first, "b.txt");
    try (FileBlobStore store = FileBlobStore.open(state())) {
      Files.delete(store.blobPath(layer.blob().digest()));
    }

    try (BuildFixture fixture = new BuildFixture(dir)) {
      assertThat(fixture.engine.recovery().setAside()).isEmpty();
      assertThat(fixture.engine.recovery().dropped())
          .as("records naming the deleted layer")
          .isNotEmpty()
          .allSatisfy(record -> {
            assertThat(record.kind()).isEqualTo(BuildContentIndex.CACHE_RECORD);
            assertThat(record.problem()).contains(layer.blob().digest().toString());
          });
      BuildResult second = fixture.build(DOCKERFILE);
      assertThat(second.image().manifest()).isEqualTo(first.image().manifest());
      assertThat(lastLayerOfCopy(second, "a.txt").blob())
          .isEqualTo(lastLayerOfCopy(first, "a.txt").blob());
      assertThat(fixture.engine.store().exists(layer.blob().digest())).isTrue();
    }
  }

  @Test
  void dropsImageRecordWhoseManifestIsMissingWhenOpened() throws Exception {
    BuildResult first = buildOnce();
    Digest manifest = first.image().manifest().digest();
    try (FileBlobStore store = FileBlobStore.open(state())) {
      Files.delete(store.blobPath(manifest));
    }

    try (BuildFixture fixture = new BuildFixture(dir)) {
      assertThat(fixture.engine.recovery().dropped())
          .as("only the built image's record names its manifest")
          .singleElement()
          .satisfies(record -> {
            assertThat(record.kind()).isEqualTo(BuildContentIndex.IMAGE_RECORD);
            assertThat(record.key()).isEqualTo(manifest.toString());
            assertThat(record.problem()).contains(manifest.toString());
          });
      assertThat(new BuildImages(fixture.engine.database(), fixture.engine.store(),
          Clock.systemUTC()).entries())
          .extracting(ImageRecord::role)
          .as("the base image's record stays")
          .containsExactly(ImageRecord.Role.BASE);
      BuildResult second = fixture.build(DOCKERFILE);
      assertThat(second.image().manifest()).isEqualTo(first.image().manifest());
      assertThat(fixture.engine.store().exists(manifest)).isTrue();
      assertThat(new BuildImages(fixture.engine.database(), fixture.engine.store(),
          Clock.systemUTC()).entries())
          .extracting(ImageRecord::root)
          .as("the rebuild records the image again")
          .contains(manifest);
    }
  }

  @Test
  void setsCorruptDatabaseAsideAndBuildsWhenOpened() throws Exception {
    BuildResult first = buildOnce();
    Path metaDb = state().resolve("meta.db");
    byte[] garbage = "this is not an SQLite database, whatever its name says".repeat(200)
        .getBytes(StandardCharsets.UTF_8);
    Files.write(metaDb, garbage);

    try (BuildFixture fixture = new BuildFixture(dir)) {
      BuildRecovery.Outcome outcome = fixture.engine.recovery();
      assertThat(outcome.setAside()).isPresent();
      assertThat(outcome.setAside().get().getFileName().toString())
          .startsWith("meta.db.corrupt-");
      assertThat(Files.readAllBytes(outcome.setAside().get()))
          .as("the corrupt file is kept for a human")
          .isEqualTo(garbage);
      assertThat(outcome.problem()).isPresent();
      BuildResult second = fixture.build(DOCKERFILE);
      assertThat(second.image().manifest()).isEqualTo(first.image().manifest());
      assertThat(second.solution().vertices().values().stream()
              .filter(v -> v.vertex().description().contains("COPY"))
              .map(SolvedVertex::cached))
          .as("every record was lost with the database, so both COPY steps ran again")
          .containsExactly(false, false);
    }
  }

  @Test
  void removesIngestAndSnapshotLeftoversWhenOpened() throws Exception {
    buildOnce();
    Path ingest = Files.writeString(state().resolve("ingest/tmp/leftover"), "half a layer");
    Path snapshot = Files.createDirectories(state().resolve("snapshots/tmp-leftover/bin"));

    try (BuildFixture fixture = new BuildFixture(dir)) {
      assertThat(ingest).doesNotExist();
      assertThat(snapshot.getParent()).doesNotExist();
      try (Stream<Path> trees = Files.list(state().resolve("snapshots"))) {
        assertThat(trees.map(p -> p.getFileName().toString()).toList())
            .as("complete trees stay")
            .isNotEmpty()
            .noneMatch(name -> name.startsWith("tmp-"));
      }
      assertThat(fixture.build(DOCKERFILE).solution().cacheHits()).isPositive();
      assertThat(fixture.engine.recovery().dropped()).isEqualTo(List.of());
    }
  }
}
