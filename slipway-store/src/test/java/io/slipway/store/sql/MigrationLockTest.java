package io.slipway.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.store.blob.ExclusiveLockHolder;
import io.slipway.testing.ChildJvm;
import io.slipway.testing.IntegrationTest;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opening a database waits while another process migrates it (holds its migration lock). That
 * wait must hold up only opens of the same database.
 */
@IntegrationTest
class MigrationLockTest {

  private static final MigrationSet INVENTORY =
      new MigrationSet("inventory", "io/slipway/store/sql/fixtures/inventory");

  @TempDir Path directory;

  // A thread per open: the common pool may have a single worker, which the waiting open would hold.
  private final ExecutorService threads =
      Executors.newThreadPerTaskExecutor(Thread.ofPlatform().daemon().factory());

  @AfterEach
  void stopThreads() {
    threads.shutdownNow();
  }

  @Test
  void doesOpenAnotherDatabaseWhileOneWaitsForAnotherProcessesMigration() throws Exception {
    Path busy = directory.resolve("busy.db");
    Path free = directory.resolve("free.db");
    CompletableFuture<SqliteDatabase> busyOpen;
    try (ChildJvm holder =
        ChildJvm.start(
            directory.resolve("holder.log"),
            List.of(),
            ExclusiveLockHolder.class,
            directory.resolve("busy.db.migration-lock").toString())) {
      holder.awaitOutput("locked", Duration.ofSeconds(60));
      busyOpen = CompletableFuture.supplyAsync(() -> open(busy), threads);
      Thread.sleep(500);
      assertThat(busyOpen).as("open of the database another process migrates").isNotDone();

      CompletableFuture<SqliteDatabase> freeOpen = CompletableFuture.supplyAsync(() -> open(free), threads);
      try (SqliteDatabase database = freeOpen.get(10, TimeUnit.SECONDS)) {
        assertThat(database.file()).isEqualTo(free.toAbsolutePath());
      }
    }
    // The child is gone, and with it its lock.
    try (SqliteDatabase database = busyOpen.get(30, TimeUnit.SECONDS)) {
      assertThat(database.file()).isEqualTo(busy.toAbsolutePath());
    }
  }

  private static SqliteDatabase open(Path file) {
    try {
      return SqliteDatabase.open(file, List.of(INVENTORY));
    } catch (SQLException e) {
      throw new CompletionException(e);
    }
  }
}
