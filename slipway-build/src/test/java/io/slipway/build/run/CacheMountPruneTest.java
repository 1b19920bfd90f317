package io.slipway.build.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.build.cache.BuildCache;
import io.slipway.build.cache.BuildLease;
import io.slipway.build.cache.BuildLeases;
import io.slipway.build.dockerfile.RunMount.Sharing;
import io.slipway.build.prune.BuilderLayout;
import io.slipway.build.prune.PrunePolicy;
import io.slipway.build.prune.PruneResult;
import io.slipway.build.prune.Pruner;
import io.slipway.build.prune.RecordFilter;
import io.slipway.build.prune.RecordType;
import io.slipway.build.prune.UsageRecord;
import io.slipway.store.blob.FileBlobStore;
import io.slipway.store.sql.SqliteDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cache mount directories in disk usage and prune (issue 8). */
class CacheMountPruneTest {

  private static final CacheMounts.Seed NO_SEED = dir -> false;
  private static final PrunePolicy MOUNTS =
      PrunePolicy.unusedLayers().withFilter(RecordFilter.parse("type=cache-mount"));

  @TempDir Path root;

  private BuilderLayout layout;
  private FileBlobStore store;
  private SqliteDatabase database;
  private Pruner pruner;
  private CacheMounts caches;

  @BeforeEach
  void open() throws Exception {
    layout = new BuilderLayout(root);
    store = FileBlobStore.open(root);
    database = SqliteDatabase.open(layout.metaDb(), List.of(BuildCache.MIGRATIONS));
    pruner = Pruner.of(layout, database, store, Clock.systemUTC());
    caches = new CacheMounts(layout.cacheMounts());
  }

  @AfterEach
  void close() throws Exception {
    database.close();
    store.close();
  }

  private void use(String id, int times) throws Exception {
    for (int i = 0; i < times; i++) {
      try (var lease = caches.acquire(id, Sharing.SHARED, NO_SEED, 0, 0, 0755)) {
        Files.write(lease.directory().resolve("blob-" + i), new byte[1000]);
      }
    }
  }

  private List<UsageRecord> mounts() throws Exception {
    return pruner.usage().records().stream().filter(r -> r.type() == RecordType.CACHE_MOUNT)
        .toList();
  }

  @Test
  void listsCacheMountsWithIdSizeAndUses() throws Exception {
    use("go-build", 3);
    use("apt", 1);
    // Size: the data written plus the bookkeeping files (id: the id's bytes; uses: one a use).
    assertThat(mounts()).extracting(UsageRecord::description, UsageRecord::useCount,
            UsageRecord::size)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("cache mount id=go-build", 3L, 3000L + 8 + 3),
            org.assertj.core.groups.Tuple.tuple("cache mount id=apt", 1L, 1000L + 3 + 1));
  }

  @Test
  void removesCacheMountsAndTheirDirectories() throws Exception {
    use("go-build", 2);
    use("apt", 1);
    Path goBuild = caches.directory("go-build").orElseThrow();
    PruneResult result = pruner.prune(List.of(MOUNTS.withFilter(
        RecordFilter.parse("description=go-build"))), false);
    assertThat(result.removed()).extracting(UsageRecord::description)
        .containsExactly("cache mount id=go-build");
    assertThat(result.sweep().orElseThrow().cacheMounts()).isEqualTo(1);
    assertThat(goBuild).doesNotExist();
    assertThat(mounts()).extracting(UsageRecord::description)
        .containsExactly("cache mount id=apt");
    // The same process uses the id again: a fresh, empty directory.
    try (var lease = caches.acquire("go-build", Sharing.SHARED, NO_SEED, 0, 0, 0755)) {
      try (var entries = Files.list(lease.directory())) {
        assertThat(entries.toList()).isEmpty();
      }
    }
  }

  @Test
  void keepsCacheMountsWhileABuildRuns() throws Exception {
    use("go-build", 1);
    BuildLease build = new BuildLeases(database, Clock.systemUTC()).acquire();
    try {
      assertThat(mounts()).singleElement().extracting(UsageRecord::inUse).isEqualTo(true);
      assertThat(pruner.prune(List.of(MOUNTS), false).removed()).isEmpty();
      assertThat(caches.directory("go-build")).isPresent();
    } finally {
      build.close();
    }
    assertThat(pruner.prune(List.of(MOUNTS), false).removed()).hasSize(1);
    assertThat(caches.directory("go-build")).isEmpty();
  }

  @Test
  void leavesALayerOnlyPolicyAwayFromCacheMounts() throws Exception {
    use("go-build", 1);
    assertThat(pruner.prune(List.of(PrunePolicy.unusedLayers()), false).removed()).isEmpty();
    assertThat(caches.directory("go-build")).isPresent();
  }
}
