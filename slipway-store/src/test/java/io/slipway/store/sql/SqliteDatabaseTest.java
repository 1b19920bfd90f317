package io.slipway.store.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteDatabaseTest {

  private static final String FIXTURES = "io/slipway/store/sql/fixtures/";
  private static final MigrationSet INVENTORY = new MigrationSet("inventory", FIXTURES + "inventory");
  private static final MigrationSet INVENTORY_GROWN =
      new MigrationSet("inventory", FIXTURES + "inventory_grown");
  private static final MigrationSet NOTES = new MigrationSet("notes", FIXTURES + "notes");
  private static final MigrationSet BROKEN = new MigrationSet("broken", FIXTURES + "broken");

  @TempDir Path directory;

  /** A checked exception of the caller's own, as module code throws from inside a transaction. */
  static final class ManifestRejected extends Exception {
    private static final long serialVersionUID = 1L;

    ManifestRejected(String message) {
      super(message);
    }
  }

  // ---- opening ----

  @Test
  void doesUseWalFullSyncForeignKeysAndBusyTimeoutWhenOpened() throws SQLException {
    Path file = directory.resolve("meta.db");
    try (SqliteDatabase db =
        SqliteDatabase.open(file, List.of(), new SqliteDatabase.Options(Duration.ofSeconds(7), 2))) {
      for (boolean write : List.of(true, false)) {
        SqlWork<List<String>, RuntimeException> pragmas =
            connection -> List.of(
                pragma(connection, "journal_mode"),
                pragma(connection, "synchronous"),
                pragma(connection, "foreign_keys"),
                pragma(connection, "busy_timeout"));
        List<String> values = write ? db.transaction(pragmas) : db.read(pragmas);
        assertThat(values).as(write ? "write connection" : "read connection")
            .containsExactly("wal", "2", "1", "7000");
      }
      assertThat(db.dialect()).isEqualTo(SqlDialect.SQLITE);
      assertThat(db.file()).isEqualTo(file.toAbsolutePath());
    }
  }

  @Test
  void doesApplyMigrationsOnceWhenReopened() throws SQLException {
    Path file = directory.resolve("meta.db");
    try (SqliteDatabase db = SqliteDatabase.open(file, List.of(INVENTORY))) {
      assertThat(count(db, "SELECT count(*) FROM item WHERE name = 'seed'")).isEqualTo(1);
    }

    try (SqliteDatabase db = SqliteDatabase.open(file, List.of(INVENTORY))) {
      assertThat(count(db, "SELECT count(*) FROM item WHERE name = 'seed'")).isEqualTo(1);
      assertThat(count(db, "SELECT count(*) FROM inventory_schema_history WHERE success = 1"))
          .isEqualTo(1);
    }
  }

  @Test
  void doesApplyOnlyNewVersionsWhenSchemaGrows() throws SQLException {
    Path file = directory.resolve("meta.db");
    try (SqliteDatabase db = SqliteDatabase.open(file, List.of(INVENTORY))) {
      db.transaction(connection -> update(connection, "INSERT INTO item (name) VALUES ('kept')"));
    }

    try (SqliteDatabase db = SqliteDatabase.open(file, List.of(INVENTORY_GROWN))) {
      assertThat(count(db, "SELECT count(*) FROM item")).isEqualTo(2);
      assertThat(count(db, "SELECT value FROM counter")).isZero();
      assertThat(count(db, "SELECT count(*) FROM inventory_schema_history WHERE success = 1"))
          .isEqualTo(2);
    }
  }

  @Test
  void doesKeepModulesApartWhenTheyShareOneFile() throws SQLException {
    Path file = directory.resolve("meta.db");
    try (SqliteDatabase db = SqliteDatabase.open(file, List.of(INVENTORY))) {
      assertThat(count(db, "SELECT count(*) FROM item")).isEqualTo(1);
    }

    // A module that arrives later, in a file other modules already populated, still migrates.
    try (SqliteDatabase db = SqliteDatabase.open(file, List.of(INVENTORY, NOTES))) {
      db.transaction(connection -> update(connection, "INSERT INTO note (text) VALUES ('hi')"));
      assertThat(count(db, "SELECT count(*) FROM note")).isEqualTo(1);
      assertThat(count(db, "SELECT count(*) FROM notes_schema_history WHERE version = '1'"))
          .isEqualTo(1);
      assertThat(count(db, "SELECT count(*) FROM inventory_schema_history WHERE success = 1"))
          .isEqualTo(1);
    }
  }

  @Test
  void doesRefuseToOpenAndRollBackWhenAMigrationFails() throws SQLException {
    Path file = directory.resolve("meta.db");

    assertThatThrownBy(() -> SqliteDatabase.open(file, List.of(BROKEN)))
        .isInstanceOf(MigrationException.class)
        .hasMessageStartingWith(
            "cannot migrate schema \"broken\" of " + file.toAbsolutePath() + ": ")
        .hasMessageContaining("no_such_table")
        .satisfies(e -> assertThat(((MigrationException) e).migrationSet()).isEqualTo("broken"));

    try (SqliteDatabase db = SqliteDatabase.open(file, List.of())) {
      assertThat(tables(db)).contains("before_failure").doesNotContain("half_done");
      assertThat(count(db, "SELECT count(*) FROM broken_schema_history WHERE version = '2'"))
          .isZero();
    }
  }

  @Test
  void doesRefuseToOpenWhenMigrationLocationIsMissing() {
    Path file = directory.resolve("meta.db");
    MigrationSet missing = new MigrationSet("missing", FIXTURES + "does_not_exist");

    assertThatThrownBy(() -> SqliteDatabase.open(file, List.of(missing)))
        .isInstanceOf(MigrationException.class)
        .hasMessageStartingWith(
            "cannot migrate schema \"missing\" of " + file.toAbsolutePath() + ": ")
        .hasMessageContaining(FIXTURES + "does_not_exist/sqlite");
  }

  @Test
  void doesRejectMigrationSetWhenNameIsNotAnIdentifier() {
    assertThatThrownBy(() -> new MigrationSet("Registry-V2", "io/slipway/registry/db"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("migration set name \"Registry-V2\" must be a lowercase identifier of at most"
            + " 40 characters ([a-z][a-z0-9_]*)");
    assertThatThrownBy(() -> new MigrationSet("registry", "/abs/path"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("migration location \"/abs/path\" must be a relative classpath directory"
            + " such as io/slipway/registry/db");
  }

  // ---- transactions ----

  @Test
  void doesLeaveNothingWhenTransactionThrowsCallersException() throws SQLException {
    try (SqliteDatabase db = open(INVENTORY)) {
      ManifestRejected rejection = new ManifestRejected("manifest references a missing blob");

      assertThatThrownBy(() -> db.transaction(connection -> {
            update(connection, "INSERT INTO item (name) VALUES ('half')");
            throw rejection;
          }))
          .isSameAs(rejection);

      assertThat(count(db, "SELECT count(*) FROM item WHERE name = 'half'")).isZero();
      // The write connection is usable again.
      db.transaction(connection -> update(connection, "INSERT INTO item (name) VALUES ('next')"));
      assertThat(count(db, "SELECT count(*) FROM item")).isEqualTo(2);
    }
  }

  @Test
  void doesLeaveNothingWhenForeignKeyIsViolated() throws SQLException {
    try (SqliteDatabase db = open(INVENTORY)) {
      assertThatThrownBy(() -> db.transaction(connection -> {
            update(connection, "INSERT INTO item (name) VALUES ('orphan owner')");
            return update(connection, "INSERT INTO label (item_id, text) VALUES (999, 'x')");
          }))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("FOREIGN KEY constraint failed")
          .satisfies(e -> assertThat(db.dialect().isForeignKeyViolation((SQLException) e)).isTrue());

      assertThat(count(db, "SELECT count(*) FROM item WHERE name = 'orphan owner'")).isZero();
      assertThat(count(db, "SELECT count(*) FROM label")).isZero();
    }
  }

  @Test
  void doesClassifyUniqueViolationWhenARowRepeats() throws SQLException {
    try (SqliteDatabase db = open(INVENTORY)) {
      assertThatThrownBy(() -> db.transaction(connection ->
              update(connection, "INSERT INTO item (name) VALUES ('seed')")))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("UNIQUE constraint failed: item.name")
          .satisfies(e -> {
            assertThat(db.dialect().isUniqueViolation((SQLException) e)).isTrue();
            assertThat(db.dialect().isForeignKeyViolation((SQLException) e)).isFalse();
          });

      assertThat(count(db, "SELECT count(*) FROM item")).isEqualTo(1);
    }
  }

  @Test
  void doesSeeCommittedWritesWhenReadingAfterTransaction() throws SQLException {
    try (SqliteDatabase db = open(INVENTORY)) {
      db.transaction(connection -> update(connection, "INSERT INTO item (name) VALUES ('new')"));

      assertThat(count(db, "SELECT count(*) FROM item WHERE name = 'new'")).isEqualTo(1);
    }
  }

  @Test
  void doesRefuseWritesWhenReading() throws SQLException {
    try (SqliteDatabase db = open(INVENTORY)) {
      assertThatThrownBy(() -> db.read(connection ->
              update(connection, "INSERT INTO item (name) VALUES ('sneaky')")))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("readonly");

      assertThat(count(db, "SELECT count(*) FROM item")).isEqualTo(1);
    }
  }

  @Test
  void doesRefuseNestedUnitOfWorkWhenCalledInsideOne() throws SQLException {
    try (SqliteDatabase db = open(INVENTORY)) {
      assertThatThrownBy(() -> db.transaction(outer -> {
            update(outer, "INSERT INTO item (name) VALUES ('outer')");
            return db.read(inner -> count(inner, "SELECT count(*) FROM item"));
          }))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("a unit of work on " + db.file() + " is already running on this thread;"
              + " nested units of work would deadlock on the write connection");

      assertThat(count(db, "SELECT count(*) FROM item WHERE name = 'outer'")).isZero();
    }
  }

  @Test
  void doesSerializeWritersWhenTwoDatabasesIncrementConcurrently() throws Exception {
    Path file = directory.resolve("meta.db");
    int threads = 16;
    int increments = 20;
    // Two instances on one file stand in for a builder and a registry sharing it: they contend
    // through SQLite's file locks and busy timeout, not through a shared pool.
    try (SqliteDatabase first = SqliteDatabase.open(file, List.of(INVENTORY_GROWN));
        SqliteDatabase second = SqliteDatabase.open(file, List.of(INVENTORY_GROWN));
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        SqliteDatabase db = t % 2 == 0 ? first : second;
        futures.add(pool.submit(() -> {
          for (int i = 0; i < increments; i++) {
            // Read, then write: with a deferred transaction a concurrent commit in between
            // would fail this with SQLITE_BUSY; BEGIN IMMEDIATE makes it wait its turn.
            db.transaction(connection -> {
              long value = count(connection, "SELECT value FROM counter WHERE id = 1");
              return update(connection, "UPDATE counter SET value = " + (value + 1));
            });
          }
          return null;
        }));
      }
      for (Future<?> future : futures) {
        future.get(120, TimeUnit.SECONDS);
      }

      assertThat(count(first, "SELECT value FROM counter")).isEqualTo((long) threads * increments);
    }
  }

  @Test
  void doesCheckpointTheWalWhenClosed() throws SQLException {
    Path file = directory.resolve("meta.db");
    try (SqliteDatabase db = SqliteDatabase.open(file, List.of(INVENTORY))) {
      db.transaction(connection -> update(connection, "INSERT INTO item (name) VALUES ('a')"));
    }

    Path wal = directory.resolve("meta.db-wal");
    assertThat(!Files.exists(wal) || wal.toFile().length() == 0)
        .as("WAL %s is empty or gone after close", wal)
        .isTrue();
  }

  // ---- helpers ----

  private SqliteDatabase open(MigrationSet set) throws SQLException {
    return SqliteDatabase.open(directory.resolve("meta.db"), List.of(set));
  }

  private static String pragma(Connection connection, String name) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("PRAGMA " + name)) {
      rows.next();
      return rows.getString(1);
    }
  }

  private static long count(Database db, String sql) throws SQLException {
    return db.read(connection -> count(connection, sql));
  }

  private static long count(Connection connection, String sql) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql);
        ResultSet rows = statement.executeQuery()) {
      rows.next();
      return rows.getLong(1);
    }
  }

  private static int update(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      return statement.executeUpdate(sql);
    }
  }

  private static List<String> tables(Database db) throws SQLException {
    return db.read(connection -> {
      List<String> names = new ArrayList<>();
      try (Statement statement = connection.createStatement();
          ResultSet rows =
              statement.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
        while (rows.next()) {
          names.add(rows.getString(1));
        }
      }
      return names;
    });
  }
}
