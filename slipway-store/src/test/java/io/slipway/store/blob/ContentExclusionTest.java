package io.slipway.store.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.oci.Digest;
import io.slipway.testing.ChildJvm;
import io.slipway.testing.IntegrationTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store's content exclusion: a record is committed only while its blobs are stored, and a
 * collector's last check and delete exclude records and publishes, within a JVM and across
 * processes, without a crashed holder blocking the root.
 */
class ContentExclusionTest {

  private static final byte[] CONTENT = "content".getBytes(StandardCharsets.UTF_8);
  private static final Digest DIGEST = Digest.sha256(CONTENT);

  @TempDir Path dir;
  private Path root;

  @BeforeEach
  void chooseRoot() {
    root = dir.resolve("root");
  }

  @Test
  void refusesARecordNamingAMissingBlobWithoutRunningIt() throws Exception {
    AtomicBoolean ran = new AtomicBoolean();
    try (FileBlobStore store = FileBlobStore.open(root)) {
      assertThatThrownBy(() -> store.recordIfPresent(List.of(DIGEST), () -> ran.getAndSet(true)))
          .isInstanceOf(BlobNotFoundException.class)
          .hasMessage("blob " + DIGEST + " is not in the store");
    }
    assertThat(ran).as("the record ran").isFalse();
  }

  @Test
  void deletesOnlyWhatTheLastCheckCallsGarbage() throws Exception {
    try (FileBlobStore store = FileBlobStore.open(root)) {
      store.put(new ByteArrayInputStream(CONTENT), DIGEST, CONTENT.length);
      assertThat(store.deleteIf(DIGEST, () -> false)).isFalse();
      assertThat(store.exists(DIGEST)).isTrue();
      assertThat(store.deleteIf(DIGEST, () -> true)).isTrue();
      assertThat(store.exists(DIGEST)).isFalse();
    }
  }

  @Test
  void holdsACollectorBackWhileAnotherThreadRecords() throws Exception {
    CountDownLatch recording = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    try (FileBlobStore store = FileBlobStore.open(root);
        FileBlobStore other = FileBlobStore.open(root)) {
      store.put(new ByteArrayInputStream(CONTENT), DIGEST, CONTENT.length);
      CompletableFuture<Void> record = CompletableFuture.runAsync(() -> {
        try {
          store.<Void, InterruptedException>recordIfPresent(List.of(DIGEST), () -> {
            recording.countDown();
            finish.await();
            return null;
          });
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, runnable -> Thread.ofPlatform().start(runnable));
      assertThat(recording.await(10, TimeUnit.SECONDS)).isTrue();
      // A second store on the same root, as a registry and a builder in one JVM would have.
      CompletableFuture<Boolean> delete = deleteInBackground(other);
      Thread.sleep(300);
      assertThat(delete).as("delete while a record is being committed").isNotDone();
      finish.countDown();
      record.get(10, TimeUnit.SECONDS);
      assertThat(delete.get(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  @IntegrationTest
  void holdsACollectorBackWhileAnotherProcessRecordsUntilThatProcessDies() throws Exception {
    try (FileBlobStore store = FileBlobStore.open(root)) {
      store.put(new ByteArrayInputStream(CONTENT), DIGEST, CONTENT.length);
      CompletableFuture<Boolean> delete;
      try (ChildJvm recorder = ChildJvm.start(dir.resolve("recorder.log"),
          List.of(), ContentRecorder.class, root.toString())) {
        recorder.awaitOutput("recording", Duration.ofSeconds(60));
        delete = deleteInBackground(store);
        Thread.sleep(500);
        assertThat(delete).as("delete while another process commits a record").isNotDone();
      }
      // The child was killed while it held the lock; the kernel released it.
      assertThat(delete.get(30, TimeUnit.SECONDS)).isTrue();
      assertThat(store.exists(DIGEST)).isFalse();
    }
  }

  private static CompletableFuture<Boolean> deleteInBackground(FileBlobStore store) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return store.deleteIf(DIGEST, () -> true);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, runnable -> Thread.ofPlatform().start(runnable));
  }
}
