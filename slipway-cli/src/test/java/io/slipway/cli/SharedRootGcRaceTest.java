package io.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.build.cache.BuildCache;
import io.slipway.build.cache.BuildContentIndex;
import io.slipway.build.cache.CacheRecord;
import io.slipway.build.cache.LayerRef;
import io.slipway.oci.Descriptor;
import io.slipway.oci.Digest;
import io.slipway.registry.gc.BlobPins;
import io.slipway.registry.gc.GarbageCollector;
import io.slipway.registry.gc.GcPolicy;
import io.slipway.registry.gc.GcReport;
import io.slipway.registry.meta.SqlRegistryMetadata;
import io.slipway.store.blob.BlobNotFoundException;
import io.slipway.store.blob.FileBlobStore;
import io.slipway.store.fsck.BrokenRecord;
import io.slipway.store.fsck.ContentIndex;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry's GC and a builder on one root, interleaved at the worst moment: the collector has
 * made its last check that a blob is unnamed (the builder's {@link ContentIndex} said no) and not
 * yet deleted it, when the builder publishes that blob again and commits a cache record naming it.
 * The collector is held at that moment by a hook in the index it consults, so the interleaving is
 * the same on every run. Whatever the order the exclusion allows, no record may name a blob the
 * store no longer holds.
 */
class SharedRootGcRaceTest {

  private static final byte[] LAYER = "a layer both the builder and the garbage hold"
      .getBytes(StandardCharsets.UTF_8);
  private static final Digest BLOB = Digest.sha256(LAYER);
  private static final Digest KEY = Digest.sha256("cache key".getBytes(StandardCharsets.UTF_8));

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

  @Test
  void keepsABlobTheBuilderPublishesAndRecordsBetweenTheLastCheckAndTheDelete() throws Exception {
    CompletableFuture<GcReport> gc = collectInBackground();
    assertThat(index.checked.await(30, TimeUnit.SECONDS)).as("GC reached its last check").isTrue();

    Thread builder = Thread.ofPlatform().start(() -> {
      try {
        store.put(new ByteArrayInputStream(LAYER), BLOB, LAYER.length);
        cache.record(KEY, record());
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    });
    awaitDoneOrParked(builder);
    index.proceed.countDown();
    gc.get(30, TimeUnit.SECONDS);
    builder.join(30_000);

    assertThat(cache.lookup(KEY)).as("the builder's record").isPresent();
    assertThat(store.exists(BLOB)).as("the blob the builder published and recorded").isTrue();
  }

  @Test
  void refusesARecordOfABlobDeletedBetweenTheLastCheckAndTheCommit() throws Exception {
    CompletableFuture<GcReport> gc = collectInBackground();
    assertThat(index.checked.await(30, TimeUnit.SECONDS)).as("GC reached its last check").isTrue();

    // The builder found the blob stored (a pull or a put that skipped it) and records it now.
    AtomicReference<IOException> failure = new AtomicReference<>();
    Thread builder = Thread.ofPlatform().start(() -> {
      try {
        cache.record(KEY, record());
      } catch (IOException e) {
        failure.set(e);
      }
    });
    awaitDoneOrParked(builder);
    index.proceed.countDown();
    GcReport report = gc.get(30, TimeUnit.SECONDS);
    builder.join(30_000);

    if (failure.get() == null) {
      assertThat(store.exists(BLOB)).as("the blob of the record the builder committed").isTrue();
      assertThat(report.blobs()).doesNotContain(BLOB);
    } else {
      assertThat(failure.get()).isInstanceOf(BlobNotFoundException.class)
          .hasMessageContaining(BLOB.toString());
      assertThat(store.exists(BLOB)).isFalse();
      assertThat(cache.entries()).as("no record names the deleted blob").isEmpty();
    }
  }

  private CompletableFuture<GcReport> collectInBackground() {
    GarbageCollector collector = new GarbageCollector(database, store, new BlobPins(),
        GcPolicy.defaults(), Clock.systemUTC(), List.of(index));
    return CompletableFuture.supplyAsync(() -> {
      try {
        return collector.collect(false);
      } catch (IOException | SQLException e) {
        throw new AssertionError(e);
      }
    }, runnable -> Thread.ofPlatform().start(runnable));
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
   * The builder's index, with a hook: after answering the collector's last question about {@code
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
