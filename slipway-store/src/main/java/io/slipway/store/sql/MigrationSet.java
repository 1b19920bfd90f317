package io.slipway.store.sql;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One module's schema, as versioned SQL scripts on the classpath: {@code
 * <location>/<dialect>/V<n>__<description>.sql}, for example {@code
 * io/slipway/registry/db/sqlite/V1__repositories.sql}. Each set keeps its own history table,
 * {@code <name>_schema_history}, so modules number their versions independently and can share one
 * database file. Versions start at 1: version 0 is the baseline Flyway records when a set joins a
 * file that other sets already populated. Immutable.
 *
 * @param name lowercase identifier of the set, such as {@code registry}
 * @param location classpath directory holding one subdirectory per {@link SqlDialect}
 */
public record MigrationSet(String name, String location) {

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,39}");
  private static final Pattern LOCATION = Pattern.compile("[A-Za-z0-9_.\\-]+(/[A-Za-z0-9_.\\-]+)*");

  public MigrationSet {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(location, "location");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "migration set name \"" + name + "\" must be a lowercase identifier of at most 40"
              + " characters ([a-z][a-z0-9_]*)");
    }
    if (!LOCATION.matcher(location).matches()) {
      throw new IllegalArgumentException(
          "migration location \"" + location + "\" must be a relative classpath directory such as"
              + " io/slipway/registry/db");
    }
  }

  /** The table recording which of this set's versions a database has applied. */
  public String historyTable() {
    return name + "_schema_history";
  }

  /** The classpath directory holding this set's scripts for {@code dialect}. */
  public String locationFor(SqlDialect dialect) {
    return location + "/" + dialect.directoryName();
  }
}
