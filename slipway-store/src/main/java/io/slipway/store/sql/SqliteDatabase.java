package io.slipway.store.sql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The embedded metadata {@link Database}: one SQLite file in WAL mode with {@code
 * synchronous=FULL}, so a committed transaction survives power loss and a copy of the file (with
 * its {@code -wal}) taken at any instant opens cleanly. Foreign keys are enforced and a busy
 * timeout lets a builder and a registry share the file from two processes.
 *
 * <p>Writers go through one connection that begins transactions with {@code BEGIN IMMEDIATE}, so
 * concurrent writers queue instead of failing when a read turns into a write; readers get a pool
 * of {@code query_only} connections, each read running on one snapshot. Migrations are applied by
 * Flyway when the database opens, never earlier, so commands that do not touch metadata
 * ({@code slipway --version}) do not pay for them. Migrating takes a lock on the file {@code
 * <database>.migration-lock} next to the database, so two processes opening it at once migrate
 * one after the other.
 *
 * <p>Safe for concurrent use.
 */
public final class SqliteDatabase implements Database {

  /**
   * How the database is opened. Immutable.
   *
   * @param busyTimeout how long a statement waits for another process's lock, and a writer for
   *     this process's write connection, before failing
   * @param readConnections size of the read pool
   */
  public record Options(Duration busyTimeout, int readConnections) {
    public Options {
      Objects.requireNonNull(busyTimeout, "busyTimeout");
      if (busyTimeout.isNegative() || busyTimeout.toMillis() > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("busy timeout out of range: " + busyTimeout);
      }
      if (readConnections < 1) {
        throw new IllegalArgumentException(
            "need at least one read connection, got " + readConnections);
      }
    }

    /** A 30 second busy timeout and four read connections. */
    public static Options defaults() {
      return new Options(Duration.ofSeconds(30), 4);
    }
  }

  /**
   * Serialise migrations of one database file within this JVM (the lock file does it between
   * processes, but Java file locks may not overlap within a JVM). One lock per file, so waiting
   * for another process to migrate one database never holds up opening another.
   */
  private static final ConcurrentMap<Path, ReentrantLock> MIGRATION_LOCKS = new ConcurrentHashMap<>();

  private final Path file;

  /** Marks threads running a unit of work here, to refuse nesting (it would deadlock the writer). */
  private final ThreadLocal<Boolean> active = new ThreadLocal<>();

  private final HikariDataSource writer;
  private final HikariDataSource readers;
  /** Run once after the connections are closed (see {@link #whenClosed}). */
  private final List<Runnable> afterClose = new CopyOnWriteArrayList<>();

  private SqliteDatabase(Path file, HikariDataSource writer, HikariDataSource readers) {
    this.file = file;
    this.writer = writer;
    this.readers = readers;
  }

  /** Opens {@code file} with {@link Options#defaults()}; see {@link #open(Path, List, Options)}. */
  public static SqliteDatabase open(Path file, List<MigrationSet> migrations) throws SQLException {
    return open(file, migrations, Options.defaults());
  }

  /**
   * Opens (creating if needed) the database in {@code file} and applies every migration set not
   * yet applied, in list order.
   *
   * @throws MigrationException when a set cannot be applied; that set's failed script is rolled
   *     back and the database is not opened
   */
  public static SqliteDatabase open(Path file, List<MigrationSet> migrations, Options options)
      throws SQLException {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(migrations, "migrations");
    Objects.requireNonNull(options, "options");
    Path absolute = file.toAbsolutePath().normalize();
    try {
      Files.createDirectories(absolute.getParent());
    } catch (IOException e) {
      throw new SQLException("cannot create the directory of " + absolute + ": " + e.getMessage(), e);
    }
    migrate(absolute, List.copyOf(migrations), options);
    HikariDataSource writer =
        pool(absolute, options, SQLiteConfig.TransactionMode.IMMEDIATE, 1, "write", false);
    try {
      HikariDataSource readers =
          pool(
              absolute,
              options,
              SQLiteConfig.TransactionMode.DEFERRED,
              options.readConnections(),
              "read",
              true);
      return new SqliteDatabase(absolute, writer, readers);
    } catch (RuntimeException e) {
      writer.close();
      throw e;
    }
  }

  private static SQLiteDataSource dataSource(
      Path file, Options options, SQLiteConfig.TransactionMode mode) {
    // Before the driver loads its native library, which it does on the first connection.
    SqliteNativeLibrary.prepare();
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    config.enforceForeignKeys(true);
    config.setBusyTimeout((int) options.busyTimeout().toMillis());
    config.setTransactionMode(mode);
    SQLiteDataSource dataSource = new SQLiteDataSource(config);
    dataSource.setUrl("jdbc:sqlite:" + file);
    return dataSource;
  }

  private static HikariDataSource pool(
      Path file,
      Options options,
      SQLiteConfig.TransactionMode mode,
      int size,
      String role,
      boolean queryOnly) {
    HikariConfig config = new HikariConfig();
    config.setDataSource(dataSource(file, options, mode));
    config.setPoolName("slipway-sqlite-" + role + "-" + file.getFileName());
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(0);
    config.setConnectionTimeout(Math.max(250, options.busyTimeout().toMillis()));
    if (queryOnly) {
      config.setConnectionInitSql("PRAGMA query_only = ON");
    }
    return new HikariDataSource(config);
  }

  /**
   * Applies each set under a lock file next to the database, since Flyway takes no lock of its own
   * on SQLite and a builder and a registry may open the same file at once. The lock lives in its
   * own file: a Java lock on the database file itself would release SQLite's locks when closed.
   */
  private static void migrate(Path file, List<MigrationSet> migrations, Options options)
      throws SQLException {
    if (migrations.isEmpty() || isCurrent(file, migrations, options)) {
      return;
    }
    Path lockFile = file.resolveSibling(file.getFileName() + ".migration-lock");
    ReentrantLock migrating = MIGRATION_LOCKS.computeIfAbsent(lockFile, k -> new ReentrantLock());
    migrating.lock();
    try {
      try (FileChannel channel =
              FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
        FileLock lock = channel.lock();
        try {
          SQLiteDataSource dataSource =
              dataSource(file, options, SQLiteConfig.TransactionMode.DEFERRED);
          for (MigrationSet set : migrations) {
            migrate(file, dataSource, set);
          }
        } finally {
          lock.release();
        }
      } catch (IOException e) {
        throw new SQLException("cannot lock " + lockFile + " to migrate " + file + ": "
            + e.getMessage(), e);
      }
    } finally {
      migrating.unlock();
    }
  }

  /**
   * Whether every set is already applied, asked without the lock and without Flyway: the common
   * case, and Flyway's own check costs hundreds of milliseconds per open. Migrations only add, and
   * each one commits with its history row, so a reader that sees every script recorded sees their
   * schema too; when anything is pending the caller migrates under the lock as before.
   */
  private static boolean isCurrent(Path file, List<MigrationSet> migrations, Options options)
      throws SQLException {
    if (!Files.exists(file)) {
      return false;
    }
    try (Connection connection =
        dataSource(file, options, SQLiteConfig.TransactionMode.DEFERRED).getConnection()) {
      for (MigrationSet set : migrations) {
        if (!AppliedSchema.isCurrent(connection, set)) {
          return false;
        }
      }
      return true;
    }
  }

  private static void migrate(Path file, SQLiteDataSource dataSource, MigrationSet set)
      throws MigrationException {
    try {
      Flyway.configure(SqliteDatabase.class.getClassLoader())
          .dataSource(dataSource)
          .locations("classpath:" + set.locationFor(SqlDialect.SQLITE))
          .table(set.historyTable())
          // Sets share one database: a set arriving in a file other sets already populated
          // starts from version 0 instead of being refused as "non-empty schema".
          .baselineOnMigrate(true)
          .baselineVersion("0")
          .failOnMissingLocations(true)
          .validateMigrationNaming(true)
          .cleanDisabled(true)
          // Report through SLF4J like the rest of Slipway, never straight to stdout.
          .loggers("slf4j")
          .load()
          .migrate();
    } catch (FlywayException e) {
      throw new MigrationException(set.name(), file.toString(), e.getMessage(), e);
    }
  }

  /** The database file. */
  public Path file() {
    return file;
  }

  @Override
  public SqlDialect dialect() {
    return SqlDialect.SQLITE;
  }

  @Override
  public <T, E extends Exception> T transaction(SqlWork<T, E> work) throws SQLException, E {
    return run(writer, work);
  }

  @Override
  public <T, E extends Exception> T read(SqlWork<T, E> work) throws SQLException, E {
    return run(readers, work);
  }

  private <T, E extends Exception> T run(HikariDataSource pool, SqlWork<T, E> work)
      throws SQLException, E {
    Objects.requireNonNull(work, "work");
    if (active.get() != null) {
      throw new IllegalStateException(
          "a unit of work on " + file + " is already running on this thread; nested units of"
              + " work would deadlock on the write connection");
    }
    active.set(Boolean.TRUE);
    try {
      Connection connection = pool.getConnection();
      boolean reusable = false;
      try {
        // The write pool's IMMEDIATE mode makes this BEGIN IMMEDIATE: the write lock is taken up
        // front, so a transaction that reads and then writes never fails on a stale snapshot.
        // Readers BEGIN DEFERRED: their snapshot starts at the first read.
        connection.setAutoCommit(false);
        T result;
        try {
          result = work.run(connection);
        } catch (Throwable failure) {
          try {
            connection.rollback();
            connection.setAutoCommit(true);
            reusable = true;
          } catch (SQLException rollback) {
            failure.addSuppressed(rollback);
          }
          throw failure;
        }
        // Leaving manual-commit mode commits. (Connection.commit would also begin the next
        // transaction at once, taking the write lock again for nothing.) A read commits nothing:
        // its connection is query_only.
        connection.setAutoCommit(true);
        reusable = true;
        return result;
      } finally {
        if (reusable) {
          connection.close();
        } else {
          // Its transaction state is unknown; closing the physical connection rolls back
          // whatever is open and releases SQLite's locks.
          pool.evictConnection(connection);
        }
      }
    } finally {
      active.remove();
    }
  }

  /** Checkpoints the WAL into the database file, then closes every connection. */
  @Override
  public void close() throws SQLException {
    if (writer.isClosed()) {
      return;
    }
    try {
      try (Connection connection = writer.getConnection();
          Statement statement = connection.createStatement()) {
        statement.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      }
    } finally {
      try {
        readers.close();
      } finally {
        writer.close();
        afterClose.forEach(Runnable::run);
      }
    }
  }

  /**
   * Runs {@code action} after {@link #close()} has closed every connection (once, on the closing
   * thread), for a caller that records whether the database was closed cleanly.
   */
  public void whenClosed(Runnable action) {
    afterClose.add(Objects.requireNonNull(action, "action"));
  }

  @Override
  public String toString() {
    return "SqliteDatabase[" + file + "]";
  }
}
