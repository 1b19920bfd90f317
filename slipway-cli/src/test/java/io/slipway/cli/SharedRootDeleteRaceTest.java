package io.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.build.cache.BuildCache;
import io.slipway.build.cache.BuildContentIndex;
import io.slipway.build.cache.CacheRecord;
import io.slipway.build.cache.LayerRef;
import io.slipway.build.prune.BuilderLayout;
import io.slipway.build.prune.PrunePolicy;
import io.slipway.build.prune.Pruner;
import io.slipway.oci.Descriptor;
import io.slipway.oci.Digest;
import io.slipway.registry.gc.BlobPins;
import io.slipway.registry.gc.GarbageCollector;
import io.slipway.registry.gc.GcPolicy;
import io.slipway.registry.gc.RegistryContentIndex;
import io.slipway.registry.meta.SqlRegistryMetadata;
import io.slipway.store.blob.BlobNotFoundException;
import io.slipway.store.blob.FileBlobStore;
import io.slipway.store.fsck.BrokenRecord;
import io.slipway.store.fsck.ContentIndex;
import io.slipway.store.fsck.Finding;
import io.slipway.store.fsck.Fsck;
import io.slipway.store.sql.Database;
import io.slipway.store.sql.SqliteDatabase;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each deleter of a content root (a registry's GC, {@code fsck --repair}, the builder's prune
 * sweep) and a builder recording on that root, interleaved at the worst moment: the deleter has
 * made its last check that a blob is unnamed (the builder's {@link ContentIndex} said no) and not
 * yet deleted it, when the builder publishes that blob again and commits a cache record naming it,
 * or commits a record of the blob it found stored. The deleter is held at that moment by a hook in
 * the index it consults, so the interleaving is the same on every run. Whatever the order the
 * store's content exclusion allows, no record may name a blob the store no longer holds; a deleter
 * that skipped the exclusion fails here.
 */
class SharedRootDeleteRaceTest {

  private static final byte[] LAYER = "a layer both the builder and the garbage hold"
      .getBytes(StandardCharsets.UTF_8);
  private static final Digest BLOB = Digest.sha256(LAYER);
  private static final Digest KEY = Digest.sha256("cache key".getBytes(StandardCharsets.UTF_8));
  private static final Digest DROPPED =
      Digest.sha256("a record prune drops".getBytes(StandardCharsets.UTF_8));

  /** A deleter run in the background until it has deleted {@link #BLOB} or spared it. */
  enum Deleter {
    GC {
      @Override
      boolean deleted(SharedRootDeleteRaceTest test) throws Exception {
        return new GarbageCollector(test.database, test.store, new BlobPins(),
            GcPolicy.defaults(), Clock.systemUTC(), List.of(test.index))
            .collect(false).blobs().contains(BLOB);
      }
    },
    FSCK_REPAIR {
      @Override
      boolean deleted(SharedRootDeleteRaceTest test) throws Exception {
        return new Fsck(test.store, test.database,
            List.of(new RegistryContentIndex(test.store), test.index))
            .run(Fsck.Options.checkOnly().withRepair(true).withOrphanGrace(Duration.ofHours(1)),
                progress -> { })
            .findings().contains(new Finding.OrphanBlob(BLOB, LAYER.length, true));
      }
    },
    PRUNE_SWEEP {
      @Override
      void prepare(SharedRootDeleteRaceTest test) throws IOException {
        // A record the prune drops, which condemns the blob for the sweep that follows.
        test.cache.record(DROPPED, record());
      }

      @Override
      boolean deleted(SharedRootDeleteRaceTest test) throws Exception {
        return Pruner.of(new BuilderLayout(test.root), test.database, test.store,
                Clock.systemUTC())
            .withOtherIndexes(List.of(test.index))
            .prune(List.of(PrunePolicy.unusedLayers().withAll(true)), false)
            .sweep().orElseThrow().blobs() > 0;
      }
    };

    void prepare(SharedRootDeleteRaceTest test) throws IOException {}

    abstract boolean deleted(SharedRootDeleteRaceTest test) throws Exception;
  }

  @TempDir Path root;

  private FileBlobStore store;
  private SqliteDatabase database;
  private BuildCache cache;
  private PausingIndex index;

  @BeforeEach
  void openRoot() throws Exception {
    store = FileBlobStore.open(root);
    database = SqliteDatabase.open(root.resolve("meta.db"),
        List.of(SqlRegistryMetadata.MIGRATIONS, BuildCache.MIGRATIONS));
    cache = new BuildCache(database, store, Clock.systemUTC());
    index = new PausingIndex(new BuildContentIndex(), BLOB);
    // An orphan past the grace: a layer whose record prune dropped, which a build now makes again.
    store.put(new ByteArrayInputStream(LAYER), BLOB, LAYER.length);
    Files.setLastModifiedTime(store.blobPath(BLOB),
        FileTime.from(Instant.now().minus(Duration.ofDays(1))));
  }

  @AfterEach
  void closeRoot() throws Exception {
    index.proceed.countDown();
    database.close();
    store.close();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Deleter.class)
  void keepsABlobTheBuilderPublishesAndRecordsBetweenTheLastCheckAndTheDelete(Deleter deleter)
      throws Exception {
    CompletableFuture<Boolean> deleting = holdAtLastCheck(deleter);

    Thread builder = Thread.ofPlatform().start(() -> {
      try {
        store.put(new ByteArrayInputStream(LAYER), BLOB, LAYER.length);
        cache.record(KEY, record());
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    });
    letGo(deleting, builder);

    assertThat(cache.lookup(KEY)).as("the builder's record").isPresent();
    assertThat(store.exists(BLOB)).as("the blob the builder published and recorded").isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Deleter.class)
  void refusesARecordOfABlobDeletedBetweenTheLastCheckAndTheCommit(Deleter deleter)
      throws Exception {
    CompletableFuture<Boolean> deleting = holdAtLastCheck(deleter);

    // The builder found the blob stored (a pull or a put that skipped it) and records it now.
    AtomicReference<IOException> failure = new AtomicReference<>();
    Thread builder = Thread.ofPlatform().start(() -> {
      try {
        cache.record(KEY, record());
      } catch (IOException e) {
        failure.set(e);
      }
    });
    boolean deleted = letGo(deleting, builder);

    if (failure.get() == null) {
      assertThat(store.exists(BLOB)).as("the blob of the record the builder committed").isTrue();
      assertThat(deleted).as(deleter + " reports deleting the recorded blob").isFalse();
    } else {
      assertThat(failure.get()).isInstanceOf(BlobNotFoundException.class)
          .hasMessageContaining(BLOB.toString());
      assertThat(store.exists(BLOB)).isFalse();
      assertThat(cache.lookup(KEY)).as("no record names the deleted blob").isEmpty();
    }
  }

  /** Starts {@code deleter} in the background and waits until it is held at its last check. */
  private CompletableFuture<Boolean> holdAtLastCheck(Deleter deleter) throws Exception {
    deleter.prepare(this);
    CompletableFuture<Boolean> deleting = CompletableFuture.supplyAsync(() -> {
      try {
        return deleter.deleted(this);
      } catch (Exception e) {
        throw new AssertionError(deleter + " failed", e);
      }
    }, runnable -> Thread.ofPlatform().start(runnable));
    assertThat(index.checked.await(30, TimeUnit.SECONDS))
        .as(deleter + " reached its last check").isTrue();
    return deleting;
  }

  /**
   * Once {@code builder} is done or waiting on the exclusion, lets the deleter go on; returns
   * whether it deleted the blob, after both have finished.
   */
  private boolean letGo(CompletableFuture<Boolean> deleting, Thread builder) throws Exception {
    awaitDoneOrParked(builder);
    index.proceed.countDown();
    boolean deleted = deleting.get(30, TimeUnit.SECONDS);
    builder.join(30_000);
    return deleted;
  }

  private static CacheRecord record() {
    return new CacheRecord("copy",
        List.of(new LayerRef(Descriptor.of("application/vnd.oci.image.layer.v1.tar", BLOB,
            LAYER.length), BLOB)),
        Optional.empty());
  }

  /** Waits until {@code thread} has finished or is parked on a lock (the exclusion at work). */
  private static void awaitDoneOrParked(Thread thread) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (thread.isAlive() && System.nanoTime() < deadline) {
      Thread.State state = thread.getState();
      if (state == Thread.State.WAITING || state == Thread.State.BLOCKED) {
        return;
      }
      Thread.sleep(10);
    }
  }

  /**
   * The builder's index, with a hook: after answering the deleter's last question about {@code
   * target} (the moment before the delete), it waits until the test lets it go on.
   */
  private static final class PausingIndex implements ContentIndex {
    final CountDownLatch checked = new CountDownLatch(1);
    final CountDownLatch proceed = new CountDownLatch(1);
    private final ContentIndex delegate;
    private final Digest target;

    PausingIndex(ContentIndex delegate, Digest target) {
      this.delegate = delegate;
      this.target = target;
    }

    @Override
    public String schema() {
      return delegate.schema();
    }

    @Override
    public Set<Digest> referencedBlobs(Database database) throws SQLException {
      return delegate.referencedBlobs(database);
    }

    @Override
    public boolean references(Database database, Digest digest) throws SQLException {
      boolean named = delegate.references(database, digest);
      if (digest.equals(target) && checked.getCount() > 0) {
        checked.countDown();
        try {
          proceed.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return named;
    }

    @Override
    public List<BrokenRecord> brokenRecords(Database database, Predicate<Digest> stored)
        throws SQLException, IOException {
      return delegate.brokenRecords(database, stored);
    }

    @Override
    public boolean repair(Database database, BrokenRecord record, Predicate<Digest> stored)
        throws SQLException, IOException {
      return delegate.repair(database, record, stored);
    }
  }
}
