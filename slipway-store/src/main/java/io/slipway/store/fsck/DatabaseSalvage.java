package io.slipway.store.fsck;

import io.slipway.store.sql.MigrationSet;
import io.slipway.store.sql.SqliteDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * Opens a state root's SQLite database after checking it, and when SQLite reports it corrupt
 * moves it (with its {@code -wal} and {@code -shm}) aside under a timestamped name and opens a
 * fresh one, so the caller can rebuild what the content store still holds. Nothing is deleted: the
 * set-aside files stay for a human to inspect. Stateless; safe for concurrent use, though two
 * processes salvaging one file at once is the caller's to prevent (the server holds the root).
 */
public final class DatabaseSalvage {

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  /**
   * The opened database, and what was set aside if it had to be. Immutable.
   *
   * @param database the open database, fresh when {@code setAside} is present
   * @param setAside where the corrupt database now lives
   * @param problem what SQLite reported about it
   */
  public record Opened(SqliteDatabase database, Optional<Path> setAside, Optional<String> problem) {
    public Opened {
      Objects.requireNonNull(database, "database");
      Objects.requireNonNull(setAside, "setAside");
      Objects.requireNonNull(problem, "problem");
    }
  }

  private DatabaseSalvage() {}

  /**
   * Opens {@code file} with {@code migrations}, setting a corrupt one aside first. The full
   * {@link #corruption} check runs only when an earlier opener did not stop cleanly, or no check
   * has passed yet ({@link OpenMarks} says why that is enough); it reads the whole file, which on
   * a used builder root was most of the fixed cost of a build.
   */
  public static Opened open(Path file, List<MigrationSet> migrations, Clock clock)
      throws SQLException, IOException {
    OpenMarks marks = new OpenMarks(file);
    OpenMarks.Mark mark = marks.mark();
    try {
      Optional<List<Path>> check = marks.checkNeeded();
      Optional<String> problem =
          check.isPresent() && Files.exists(file) ? corruption(file) : Optional.empty();
      Optional<Path> aside = Optional.empty();
      if (problem.isPresent()) {
        aside = Optional.of(setAside(file, clock));
      }
      SqliteDatabase database;
      try {
        database = SqliteDatabase.open(file, migrations);
      } catch (SQLException | RuntimeException e) {
        // The connection pool reports a connection that failed as a RuntimeException.
        Optional<String> found = corruptionIn(e);
        if (problem.isPresent() || found.isEmpty()) {
          throw e;
        }
        // Damage the skipped check would have found (a file that is not a database, a corrupt
        // schema): salvaged as the check would have had it.
        problem = found;
        aside = Optional.of(setAside(file, clock));
        database = SqliteDatabase.open(file, migrations);
      }
      if (check.isPresent()) {
        try {
          marks.checkPassed(check.get());
        } catch (IOException e) {
          database.close();
          throw e;
        }
      }
      database.whenClosed(mark::release);
      return new Opened(database, aside, problem);
    } catch (SQLException | IOException | RuntimeException e) {
      mark.release();
      throw e;
    }
  }

  /**
   * What SQLite says is wrong with the database in {@code file}, if anything: a file that is not
   * a database, a corrupt page, or a failing {@code quick_check}. Opening replays the WAL, as any
   * connection would.
   */
  public static Optional<String> corruption(Path file) throws SQLException {
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("PRAGMA quick_check")) {
      List<String> result = new ArrayList<>();
      while (rows.next()) {
        result.add(rows.getString(1));
      }
      return result.equals(List.of("ok"))
          ? Optional.empty()
          : Optional.of("quick_check: " + String.join("; ", result));
    } catch (SQLiteException e) {
      Optional<String> found = corruptionIn(e);
      if (found.isPresent()) {
        return found;
      }
      throw e;
    }
  }

  /** SQLite's report of a corrupt database or a file that is not one, among {@code e}'s causes. */
  private static Optional<String> corruptionIn(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLiteException sqlite) {
        // Extended codes (SQLITE_CORRUPT_INDEX and the like) carry the primary code in the low
        // byte.
        int primary = sqlite.getResultCode().code & 0xff;
        if (primary == SQLiteErrorCode.SQLITE_CORRUPT.code
            || primary == SQLiteErrorCode.SQLITE_NOTADB.code) {
          return Optional.of(sqlite.getMessage());
        }
      }
    }
    return Optional.empty();
  }

  /** Moves the database and its WAL and shared-memory files to {@code <file>.corrupt-<time>}. */
  private static Path setAside(Path file, Clock clock) throws IOException {
    String suffix = ".corrupt-" + STAMP.format(clock.instant());
    Path target = file.resolveSibling(file.getFileName() + suffix);
    for (String extra : List.of("-wal", "-shm", "")) {
      Path source = file.resolveSibling(file.getFileName() + extra);
      if (Files.exists(source)) {
        Files.move(
            source,
            file.resolveSibling(file.getFileName() + suffix + extra),
            StandardCopyOption.ATOMIC_MOVE);
      }
    }
    try (var channel = java.nio.channels.FileChannel.open(file.toAbsolutePath().getParent())) {
      channel.force(true);
    }
    return target;
  }
}
