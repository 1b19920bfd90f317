package io.slipway.store.sql;

import java.sql.SQLException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The SQL dialects Slipway's metadata can live in. Each names the subdirectory its migration
 * scripts live in and classifies the driver's errors that callers act on. A server dialect joins
 * this list together with its {@link Database} implementation, and the compiler then points at
 * every switch that must handle it. Immutable.
 */
public enum SqlDialect {
  /** The embedded database of a single process: {@link SqliteDatabase}. */
  SQLITE("sqlite");

  private final String directoryName;

  SqlDialect(String directoryName) {
    this.directoryName = directoryName;
  }

  /** The subdirectory of a {@link MigrationSet}'s location holding this dialect's scripts. */
  public String directoryName() {
    return directoryName;
  }

  /**
   * True when {@code error} says a row would break a UNIQUE or PRIMARY KEY constraint: another
   * writer got there first (the same tag pushed twice at once), which callers usually turn into
   * "already exists" rather than a failure.
   */
  public boolean isUniqueViolation(SQLException error) {
    return switch (this) {
      case SQLITE ->
          error instanceof SQLiteException sqlite
              && (sqlite.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE
                  || sqlite.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY);
    };
  }

  /** True when {@code error} says a FOREIGN KEY constraint would be broken. */
  public boolean isForeignKeyViolation(SQLException error) {
    return switch (this) {
      case SQLITE ->
          error instanceof SQLiteException sqlite
              && sqlite.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_FOREIGNKEY;
    };
  }
}
