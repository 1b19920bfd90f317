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

  /** Opens {@code file} with {@code migrations}, setting a corrupt one aside first. */
  public static Opened open(Path file, List<MigrationSet> migrations, Clock clock)
      throws SQLException, IOException {
    Optional<String> problem = Files.exists(file) ? corruption(file) : Optional.empty();
    Optional<Path> aside = Optional.empty();
    if (problem.isPresent()) {
      aside = Optional.of(setAside(file, clock));
    }
    return new Opened(SqliteDatabase.open(file, migrations), aside, problem);
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
      // Extended codes (SQLITE_CORRUPT_INDEX and the like) carry the primary code in the low byte.
      int primary = e.getResultCode().code & 0xff;
      if (primary == SQLiteErrorCode.SQLITE_CORRUPT.code
          || primary == SQLiteErrorCode.SQLITE_NOTADB.code) {
        return Optional.of(e.getMessage());
      }
      throw e;
    }
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
