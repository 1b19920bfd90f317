package io.slipway.build.solver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.build.cache.BuildCache;
import io.slipway.build.cache.BuildLease;
import io.slipway.build.cache.CacheRecord;
import io.slipway.build.cache.LayerRef;
import io.slipway.oci.Descriptor;
import io.slipway.oci.Digest;
import io.slipway.store.blob.FileBlobStore;
import io.slipway.store.sql.SqliteDatabase;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PendingRecordsTest {

  @TempDir Path dir;

  private FileBlobStore store;
  private SqliteDatabase database;
  private BuildCache cache;
  private final Map<Digest, PendingRecords.Pending> uncommitted = new ConcurrentHashMap<>();
  private final List<IOException> reported = new CopyOnWriteArrayList<>();

  @BeforeEach
  void open() throws Exception {
    store = FileBlobStore.open(dir.resolve("root"));
    database = SqliteDatabase.open(dir.resolve("root/meta.db"), List.of(BuildCache.MIGRATIONS));
    cache = new BuildCache(database, store, Clock.systemUTC());
  }

  @AfterEach
  void close() throws Exception {
    database.close();
    store.close();
  }

  @Test
  void commitsEverySubmittedRecordByTheTimeFlushReturns() throws Exception {
    PendingRecords records = new PendingRecords(cache, BuildLease.none(), uncommitted, reported::add);
    try (records) {
      for (int i = 0; i < 5; i++) {
        records.submit(new BuildCache.NewRecord(key(i), record(layer("layer " + i)), "step " + i));
      }
      records.flush();
    }
    for (int i = 0; i < 5; i++) {
      assertThat(cache.lookup(key(i))).as("record %d", i).isPresent();
    }
    assertThat(uncommitted).isEmpty();
    assertThat(reported).isEmpty();
  }

  @Test
  void commitsOnTheSubmittingThreadOnceClosed() throws Exception {
    CacheRecord record = record(layer("layer"));
    PendingRecords records = new PendingRecords(cache, BuildLease.none(), uncommitted, reported::add);
    records.close();
    // Closed: a step that finishes after its build ended commits its record on its own thread.
    records.submit(new BuildCache.NewRecord(key(1), record, "step"));
    assertThat(cache.lookup(key(1))).contains(record);
    assertThat(uncommitted).isEmpty();
  }

  @Test
  void givesACommitThatFailsOnceClosedToItsOwnStepOnly() throws Exception {
    Digest missing = Digest.sha256("never stored".getBytes(StandardCharsets.UTF_8));
    CacheRecord broken = record(layerRef(missing, 12));
    PendingRecords records = new PendingRecords(cache, BuildLease.none(), uncommitted, reported::add);
    records.close();
    assertThatThrownBy(() -> records.submit(new BuildCache.NewRecord(key(1), broken, "step")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(missing.toString());
    // The build has ended: its failure handler is not told, and a later step's good record is
    // committed without the earlier step's failure.
    CacheRecord good = record(layer("good"));
    PendingRecords.Pending pending = records.submit(new BuildCache.NewRecord(key(2), good, "step"));
    assertThat(pending.committed()).isCompleted();
    assertThat(reported).isEmpty();
    assertThat(cache.lookup(key(1))).isEmpty();
    assertThat(cache.lookup(key(2))).contains(good);
    assertThat(uncommitted).isEmpty();
  }

  @Test
  void flushWaitsForAnotherBuildsRecordThisBuildUsedAndFailsWithIt() throws Exception {
    PendingRecords records = new PendingRecords(cache, BuildLease.none(), uncommitted, reported::add);
    try (records) {
      PendingRecords.Pending fine = new PendingRecords.Pending(
          record(layer("fine")), new CompletableFuture<>());
      PendingRecords.Pending failing = new PendingRecords.Pending(
          record(layer("failing")), new CompletableFuture<>());
      records.awaitAlso(fine);
      records.awaitAlso(failing);
      CompletableFuture<Void> flushed =
          CompletableFuture.runAsync(() -> {
            try {
              records.flush();
            } catch (IOException | InterruptedException e) {
              throw new CompletionException(e);
            }
          });
      Thread.sleep(100);
      assertThat(flushed).as("waits for the other build's commits").isNotDone();
      fine.committed().complete(null);
      failing.committed().completeExceptionally(new IOException("blob sha256:ab is not in the store"));
      assertThatThrownBy(flushed::join)
          .hasRootCauseInstanceOf(IOException.class)
          .hasRootCauseMessage("blob sha256:ab is not in the store")
          .hasMessageContaining("shares with another build");
    }
  }

  @Test
  void recordAllCommitsNothingWhenOneRecordNamesAMissingBlob() throws Exception {
    Digest missing = Digest.sha256("never stored".getBytes(StandardCharsets.UTF_8));
    CacheRecord broken = record(layerRef(missing, 12));
    List<BuildCache.NewRecord> batch = List.of(
        new BuildCache.NewRecord(key(1), record(layer("good")), "good step"),
        new BuildCache.NewRecord(key(2), broken, "broken step"));
    assertThatThrownBy(() -> cache.recordAll(batch, BuildLease.none()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(missing.toString());
    assertThat(cache.size()).isZero();
  }

  @Test
  void failsTheBuildThroughTheHandlerWhenABackgroundCommitFails() throws Exception {
    Digest missing = Digest.sha256("gone".getBytes(StandardCharsets.UTF_8));
    CacheRecord broken = record(layerRef(missing, 4));
    PendingRecords records = new PendingRecords(cache, BuildLease.none(), uncommitted, reported::add);
    try (records) {
      records.submit(new BuildCache.NewRecord(key(1), broken, "step"));
      assertThatThrownBy(records::flush)
          .isInstanceOf(IOException.class)
          .hasMessageContaining(missing.toString());
    }
    assertThat(reported).hasSize(1);
    assertThat(cache.lookup(key(1))).isEmpty();
  }

  private static Digest key(int i) {
    return Digest.sha256(("key " + i).getBytes(StandardCharsets.UTF_8));
  }

  private LayerRef layer(String content) throws IOException {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    Digest digest = Digest.sha256(bytes);
    store.put(new ByteArrayInputStream(bytes), digest, bytes.length);
    return layerRef(digest, bytes.length);
  }

  /** A plain layer of {@code size} bytes whose blob is {@code digest}, stored or not. */
  private static LayerRef layerRef(Digest digest, long size) {
    return new LayerRef(
        Descriptor.of("application/vnd.oci.image.layer.v1.tar", digest, size), digest);
  }

  private static CacheRecord record(LayerRef layer) {
    return new CacheRecord("exec", List.of(layer), Optional.empty());
  }
}
