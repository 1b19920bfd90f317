package io.slipway.store.fsck;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.store.sql.SqliteDatabase;
import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseSalvageTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);
  private static final int PAGE = 4096;

  @TempDir Path dir;

  private Path db() {
    return dir.resolve("meta.db");
  }

  /** A database of several pages, closed cleanly through the salvage open. */
  private void createCleanly() throws Exception {
    DatabaseSalvage.Opened opened = DatabaseSalvage.open(db(), List.of(), CLOCK);
    assertThat(opened.setAside()).isEmpty();
    try (SqliteDatabase database = opened.database()) {
      database.transaction(connection -> {
        try (Statement statement = connection.createStatement()) {
          statement.execute("CREATE TABLE filler(x TEXT)");
          statement.execute("CREATE INDEX filler_x ON filler(x)");
          statement.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
              + " WHERE i < 2000) INSERT INTO filler SELECT printf('%0100d', i) FROM n");
        }
        return null;
      });
    }
  }

  /** Overwrites a page in the middle of the file: damage only a full check finds. */
  private void damageAPage() throws Exception {
    long pages = Files.size(db()) / PAGE;
    assertThat(pages).isGreaterThan(10);
    try (FileChannel file = FileChannel.open(db(), StandardOpenOption.WRITE)) {
      ByteBuffer junk = ByteBuffer.allocate(PAGE);
      for (int i = 0; i < PAGE; i++) {
        junk.put((byte) 0x5a);
      }
      junk.flip();
      file.write(junk, (pages / 2) * PAGE);
    }
  }

  private List<Path> marks() throws Exception {
    Path open = dir.resolve("meta.db.open");
    if (!Files.isDirectory(open)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(open)) {
      return files.toList();
    }
  }

  @Test
  void aCleanCloseLeavesNoMarkAndRecordsThePassedCheck() throws Exception {
    createCleanly();

    assertThat(dir.resolve("meta.db.checked")).exists();
    assertThat(marks()).isEmpty();
  }

  @Test
  void anOpenDatabaseIsMarkedUntilClosed() throws Exception {
    createCleanly();
    DatabaseSalvage.Opened opened = DatabaseSalvage.open(db(), List.of(), CLOCK);
    assertThat(marks()).hasSize(1);
    opened.database().close();
    assertThat(marks()).isEmpty();
  }

  @Test
  void skipsTheFullCheckAfterACleanStop() throws Exception {
    createCleanly();
    damageAPage();

    DatabaseSalvage.Opened opened = DatabaseSalvage.open(db(), List.of(), CLOCK);
    opened.database().close();

    assertThat(opened.setAside()).as("no check ran, so nothing was found").isEmpty();
  }

  @Test
  void checksAndSalvagesAfterAProcessStoppedWithTheDatabaseOpen() throws Exception {
    createCleanly();
    damageAPage();
    // The mark of a process that is not running (PID 1 did not start at time 1).
    Path stale = Files.createFile(dir.resolve("meta.db.open").resolve("1-1-0"));

    DatabaseSalvage.Opened opened = DatabaseSalvage.open(db(), List.of(), CLOCK);
    opened.database().close();

    assertThat(opened.setAside()).contains(dir.resolve("meta.db.corrupt-20260102T030405Z"));
    assertThat(opened.problem()).isPresent();
    assertThat(stale).doesNotExist();
    assertThat(marks()).isEmpty();
  }

  @Test
  void checksARootThatNeverPassedACheck() throws Exception {
    createCleanly();
    damageAPage();
    Files.delete(dir.resolve("meta.db.checked"));

    DatabaseSalvage.Opened opened = DatabaseSalvage.open(db(), List.of(), CLOCK);
    opened.database().close();

    assertThat(opened.setAside()).isPresent();
  }

  @Test
  void salvagesAFileThatIsNotADatabaseEvenWithoutACheck() throws Exception {
    createCleanly();
    Files.writeString(db(), "not a database, not at all".repeat(40));

    DatabaseSalvage.Opened opened = DatabaseSalvage.open(db(), List.of(), CLOCK);
    opened.database().close();

    assertThat(opened.setAside()).isPresent();
    assertThat(opened.problem().orElseThrow()).contains("NOTADB");
  }
}
