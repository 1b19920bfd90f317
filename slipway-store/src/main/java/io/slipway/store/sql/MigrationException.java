package io.slipway.store.sql;

import java.sql.SQLException;

/**
 * A module's schema migrations could not be applied: a script failed, or the database holds a
 * version the scripts on the classpath do not know (a newer Slipway wrote it). The failed
 * migration's changes were rolled back; the database is as it was before. Immutable once thrown.
 */
public final class MigrationException extends SQLException {
  private static final long serialVersionUID = 1L;

  private final String migrationSet;

  public MigrationException(String migrationSet, String database, String reason, Throwable cause) {
    super("cannot migrate schema \"" + migrationSet + "\" of " + database + ": " + reason, cause);
    this.migrationSet = migrationSet;
  }

  /** Name of the {@link MigrationSet} that failed. */
  public String migrationSet() {
    return migrationSet;
  }
}
