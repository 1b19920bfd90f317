package io.slipway.store.blob;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.testing.ChildJvm;
import io.slipway.testing.IntegrationTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opening a store waits while another process holds its root's ingest lock exclusively (it is
 * cleaning up). That wait must hold up only stores of the same root.
 */
@IntegrationTest
class IngestOwnershipTest {

  @TempDir Path directory;

  // A thread per open: the common pool may have a single worker, which the waiting open would hold.
  private final ExecutorService threads =
      Executors.newThreadPerTaskExecutor(Thread.ofPlatform().daemon().factory());

  @AfterEach
  void stopThreads() {
    threads.shutdownNow();
  }

  @Test
  void doesOpenAnotherRootWhileOneWaitsForAnotherProcessesLock() throws Exception {
    Path busy = directory.resolve("busy");
    Path free = directory.resolve("free");
    Files.createDirectories(busy.resolve("ingest"));
    CompletableFuture<FileBlobStore> busyOpen;
    try (ChildJvm holder =
        ChildJvm.start(
            directory.resolve("holder.log"),
            List.of(),
            ExclusiveLockHolder.class,
            busy.resolve("ingest/lock").toString())) {
      holder.awaitOutput("locked", Duration.ofSeconds(60));
      busyOpen = CompletableFuture.supplyAsync(() -> open(busy), threads);
      Thread.sleep(500);
      assertThat(busyOpen).as("open of the root whose lock another process holds").isNotDone();

      CompletableFuture<FileBlobStore> freeOpen = CompletableFuture.supplyAsync(() -> open(free), threads);
      try (FileBlobStore store = freeOpen.get(10, TimeUnit.SECONDS)) {
        assertThat(store.root()).isEqualTo(free.toRealPath());
      }
    }
    // The child is gone, and with it its lock.
    try (FileBlobStore store = busyOpen.get(30, TimeUnit.SECONDS)) {
      assertThat(store.root()).isEqualTo(busy.toRealPath());
    }
  }

  private static FileBlobStore open(Path root) {
    try {
      return FileBlobStore.open(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
