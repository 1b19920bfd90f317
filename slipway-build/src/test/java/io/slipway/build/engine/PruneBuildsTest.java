package io.slipway.build.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.build.cache.BuildCache;
import io.slipway.build.prune.DiskUsage;
import io.slipway.build.prune.PrunePolicy;
import io.slipway.build.prune.PruneResult;
import io.slipway.build.prune.RecordType;
import io.slipway.build.prune.UsageRecord;
import io.slipway.build.solver.ExecChanges;
import io.slipway.build.solver.Executor;
import io.slipway.oci.Digest;
import io.slipway.store.sql.SqliteDatabase;
import io.slipway.testing.RequiresTool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Disk usage and prune over real builds: use counts, running builds, crashed owners, content. */
@RequiresTool(value = "busybox", debianPackage = "busybox-static")
class PruneBuildsTest {

  private static final PrunePolicy EVERYTHING = PrunePolicy.unusedLayers().withAll(true);

  @TempDir Path dir;

  private static UsageRecord find(DiskUsage usage, String descriptionPart) {
    return usage.records().stream().filter(r -> r.description().contains(descriptionPart))
        .findFirst().orElseThrow(() -> new AssertionError("no record \"" + descriptionPart
            + "\" in " + usage.records()));
  }

  private static Digest topLayer(UsageRecord record) {
    return record.items().stream()
        .filter(i -> i instanceof io.slipway.build.prune.ContentItem.Blob)
        .map(i -> ((io.slipway.build.prune.ContentItem.Blob) i).digest())
        .reduce((first, second) -> second).orElseThrow();
  }

  @Test
  void countsUsesAndNamesTheStepOfEachRecord() throws Exception {
    try (BuildFixture fixture = new BuildFixture(dir)) {
      fixture.file("a.txt", "a");
      fixture.build("FROM busybox\nCOPY a.txt /a/\n");
      fixture.build("FROM busybox\nCOPY a.txt /a/\n");
      fixture.build("FROM busybox\nCOPY a.txt /a/\n");
      DiskUsage usage = fixture.engine.pruner().usage();
      UsageRecord copy = find(usage, "COPY a.txt /a/");
      assertThat(copy.type()).isEqualTo(RecordType.LAYER);
      assertThat(copy.useCount()).isEqualTo(2);
      assertThat(copy.lastUsed()).isAfter(copy.created());
      UsageRecord base = usage.records().stream().filter(r -> r.type() == RecordType.SOURCE)
          .findFirst().orElseThrow();
      assertThat(base.useCount()).isEqualTo(2);
      assertThat(usage.metadataBytes()).isPositive();
      assertThat(usage.usedBytes()).isGreaterThan(usage.metadataBytes());
    }
  }

  @Test
  void leavesRecordsOfARunningBuildAndDefersTheirContent() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Executor blocking = step -> {
      running.countDown();
      release.await();
      return new ExecChanges.Diff(step.workDirectory(), new TreeSet<>());
    };
    try (BuildFixture fixture = new BuildFixture(dir, dir.resolve("state"), blocking)) {
      fixture.file("a.txt", "a");
      fixture.file("other.txt", "other");
      fixture.build("FROM busybox\nCOPY other.txt /o/\n");
      Digest otherLayer = topLayer(find(fixture.engine.pruner().usage(), "COPY other.txt"));
      try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
        Future<BuildResult> build = threads.submit(
            () -> fixture.build("FROM busybox\nCOPY a.txt /a/\nRUN wait\n"));
        assertThat(running.await(1, TimeUnit.MINUTES)).isTrue();
        PruneResult result;
        DiskUsage during;
        try {
          result = fixture.engine.pruner().prune(List.of(EVERYTHING), false);
          during = fixture.engine.pruner().usage();
        } finally {
          // Let the build finish even when the prune fails, so the test reports instead of hanging.
          release.countDown();
        }

        // The running build uses the base image (its source and image records) and its COPY:
        // they stay. The other COPY and the image the first build made go, but their blobs stay
        // on disk until no build runs.
        assertThat(result.removed()).extracting(UsageRecord::description)
            .containsExactlyInAnyOrder("[0 2/2] COPY other.txt /o/", "built image");
        assertThat(find(during, "base busybox").inUse()).isTrue();
        assertThat(result.sweep().orElseThrow().deferred()).isTrue();
        assertThat(fixture.engine.store().exists(otherLayer)).isTrue();
        assertThat(find(during, "COPY a.txt").inUse()).isTrue();
        assertThat(during.records()).extracting(UsageRecord::type).contains(RecordType.SOURCE);
        assertThat(build.get(1, TimeUnit.MINUTES).solution().cacheHits()).isPositive();
      }
      // Nothing to remove by policy now (filter matches nothing), but the sweep finishes the
      // deferred content.
      PruneResult later = fixture.engine.pruner().prune(List.of(EVERYTHING.withFilter(
          io.slipway.build.prune.RecordFilter.parse("id=ffffffffffff"))), false);
      assertThat(later.removed()).isEmpty();
      assertThat(later.sweep().orElseThrow().deferred()).isFalse();
      // The other COPY's layer, and the first built image's manifest and config.
      assertThat(later.sweep().orElseThrow().blobs()).isEqualTo(3);
      assertThat(fixture.engine.store().exists(otherLayer)).isFalse();
      // The finished build's records are free to go now.
      assertThat(fixture.engine.pruner().prune(List.of(EVERYTHING), false).removed())
          .extracting(UsageRecord::description)
          .anyMatch(d -> d.contains("COPY a.txt")).anyMatch(d -> d.contains("RUN wait"));
      assertThat(fixture.engine.pruner().usage().records()).isEmpty();
      // No unpacked content is left, in either snapshot mode: copied trees sit at the top,
      // stacked layer directories and flattened stacks under layers/.
      try (var trees = Files.walk(dir.resolve("state/snapshots"), 2)) {
        assertThat(trees.map(p -> p.getFileName().toString())
                .filter(name -> name.matches("[0-9a-f]{64}(\\.flat)?")).toList())
            .isEmpty();
      }
    }
  }

  @Test
  void listsAndPrunesImageRecordsLeastRecentlyUsedFirst() throws Exception {
    try (BuildFixture fixture = new BuildFixture(dir)) {
      fixture.file("a.txt", "a");
      fixture.file("b.txt", "b");
      BuildResult first = fixture.build("FROM busybox\nCOPY a.txt /a/\n");
      BuildResult second = fixture.build("FROM busybox\nCOPY b.txt /b/\n");
      Digest firstManifest = first.image().manifest().digest();
      DiskUsage usage = fixture.engine.pruner().usage();
      assertThat(usage.records()).filteredOn(r -> r.type() == RecordType.IMAGE)
          .extracting(UsageRecord::id)
          .containsExactlyInAnyOrder(firstManifest.encoded(),
              second.image().manifest().digest().encoded(), find(usage, "base busybox").id());
      assertThat(find(usage, "base busybox").useCount()).as("resolved by both builds").isEqualTo(1);

      // Like sources, images go only when asked for: the default prune leaves them.
      fixture.engine.pruner().prune(List.of(PrunePolicy.unusedLayers()), false);
      assertThat(fixture.engine.store().exists(firstManifest)).isTrue();
      assertThat(fixture.engine.pruner().usage().records()).extracting(UsageRecord::type)
          .containsOnly(RecordType.IMAGE, RecordType.SOURCE);

      PrunePolicy images = PrunePolicy.unusedLayers()
          .withFilter(io.slipway.build.prune.RecordFilter.parse("type=image"));
      PruneResult plan = fixture.engine.pruner().prune(List.of(images), true);
      assertThat(plan.removed()).hasSize(3);
      assertThat(plan.removed().getFirst().id()).as("the oldest image goes first")
          .isEqualTo(firstManifest.encoded());

      PruneResult result = fixture.engine.pruner().prune(List.of(images), false);
      assertThat(result.removed()).extracting(UsageRecord::type).containsOnly(RecordType.IMAGE)
          .hasSize(3);
      assertThat(fixture.engine.store().exists(firstManifest)).isFalse();
      assertThat(fixture.engine.store().exists(first.image().config().digest())).isFalse();
      assertThat(fixture.engine.pruner().usage().records()).extracting(UsageRecord::type)
          .containsOnly(RecordType.SOURCE);
      // The base's config is also its source record's: it stays.
      assertThat(new io.slipway.build.cache.BuildContentIndex()
          .referencedBlobs(fixture.engine.database())).allSatisfy(digest ->
              assertThat(fixture.engine.store().exists(digest)).isTrue());
    }
  }

  @Test
  void ignoresTheLeaseOfACrashedBuild() throws Exception {
    try (BuildFixture fixture = new BuildFixture(dir)) {
      fixture.file("a.txt", "a");
      fixture.build("FROM busybox\nCOPY a.txt /a/\n");
      UsageRecord copy = find(fixture.engine.pruner().usage(), "COPY a.txt");
      // A lease left by a process that died: this pid, but a start time that is not ours.
      try (SqliteDatabase database = SqliteDatabase.open(dir.resolve("state/meta.db"),
          List.of(BuildCache.MIGRATIONS))) {
        database.transaction(connection -> {
          try (PreparedStatement lease = connection.prepareStatement(
              "INSERT INTO build_leases VALUES ('crashed', 'build', ?, 1, 0)");
              PreparedStatement held = connection.prepareStatement(
                  "INSERT INTO build_lease_records VALUES ('crashed', ?)")) {
            lease.setLong(1, ProcessHandle.current().pid());
            lease.executeUpdate();
            held.setString(1, "sha256:" + copy.id());
            held.executeUpdate();
          }
          return null;
        });
      }
      assertThat(fixture.engine.pruner().usage().records())
          .filteredOn(r -> r.id().equals(copy.id())).singleElement()
          .extracting(UsageRecord::inUse).isEqualTo(false);
      PruneResult result = fixture.engine.pruner().prune(List.of(EVERYTHING), false);
      assertThat(result.removed()).extracting(UsageRecord::id).contains(copy.id());
      assertThat(result.sweep().orElseThrow().deferred()).isFalse();
    }
  }

  @Test
  void sparesBlobsAnotherModuleSharingTheRootNames() throws Exception {
    try (BuildFixture fixture = new BuildFixture(dir)) {
      fixture.file("a.txt", "a");
      fixture.build("FROM busybox\nCOPY a.txt /a/\n");
      Digest layer = topLayer(find(fixture.engine.pruner().usage(), "COPY a.txt"));
      // Stands in for a registry serving from the same root that has this layer in a repository.
      io.slipway.store.fsck.ContentIndex registry = new io.slipway.store.fsck.ContentIndex() {
        @Override
        public String schema() {
          return "registry";
        }

        @Override
        public java.util.Set<Digest> referencedBlobs(io.slipway.store.sql.Database database) {
          return java.util.Set.of(layer);
        }

        @Override
        public List<io.slipway.store.fsck.BrokenRecord> brokenRecords(
            io.slipway.store.sql.Database database, java.util.function.Predicate<Digest> stored) {
          return List.of();
        }

        @Override
        public boolean repair(io.slipway.store.sql.Database database,
            io.slipway.store.fsck.BrokenRecord record,
            java.util.function.Predicate<Digest> stored) {
          return false;
        }
      };
      PruneResult result = fixture.engine.pruner().withOtherIndexes(List.of(registry))
          .prune(List.of(EVERYTHING), false);
      assertThat(result.removed()).isNotEmpty();
      assertThat(fixture.engine.pruner().usage().records()).isEmpty();
      assertThat(fixture.engine.store().exists(layer)).isTrue();
      // Without the registry's claim the same blob would have gone: the base layers did.
      assertThat(result.sweep().orElseThrow().blobs()).isPositive();
    }
  }

  @Test
  void dryRunRemovesNothing() throws Exception {
    try (BuildFixture fixture = new BuildFixture(dir)) {
      fixture.file("a.txt", "a");
      fixture.build("FROM busybox\nCOPY a.txt /a/\n");
      DiskUsage before = fixture.engine.pruner().usage();
      PruneResult result = fixture.engine.pruner().prune(List.of(EVERYTHING), true);
      assertThat(result.removed()).hasSize(before.records().size());
      assertThat(result.freedBytes()).isEqualTo(before.contentBytes());
      assertThat(result.sweep()).isEmpty();
      assertThat(fixture.engine.pruner().usage().records()).hasSize(before.records().size());
    }
  }

  @Test
  void automaticGcRunsAtMostOncePerInterval() throws Exception {
    try (BuildFixture fixture = new BuildFixture(dir)) {
      fixture.file("a.txt", "a");
      fixture.build("FROM busybox\nCOPY a.txt /a/\n");
      io.slipway.build.prune.GcSettings settings = new io.slipway.build.prune.GcSettings(true,
          java.time.Duration.ofHours(1), List.of(EVERYTHING));
      assertThat(fixture.engine.pruner().pruneIfDue(settings)).isPresent();
      fixture.build("FROM busybox\nCOPY a.txt /a/\n");
      assertThat(fixture.engine.pruner().pruneIfDue(settings)).isEmpty();
      assertThat(fixture.engine.pruner().usage().records()).isNotEmpty();
      assertThat(fixture.engine.pruner().pruneIfDue(new io.slipway.build.prune.GcSettings(false,
          java.time.Duration.ZERO, List.of(EVERYTHING)))).isEmpty();
    }
  }
}
