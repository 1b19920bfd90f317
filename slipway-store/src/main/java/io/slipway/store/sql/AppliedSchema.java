package io.slipway.store.sql;

import java.io.File;
import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;

/**
 * The cheap question asked before Flyway on every open: has this database already applied every
 * versioned script of a {@link MigrationSet} that is on the classpath, and nothing failed? Flyway
 * answers it too, but only after scanning the classpath and validating every applied migration,
 * which costs hundreds of milliseconds in a short-lived command that opens the database once.
 *
 * <p>The comparison is by script file name ({@code V3__context_file_digests.sql}): a script added
 * since the database was migrated, a renamed one, a failed or missing history row, or a classpath
 * this class cannot list (anything but directories and jar files) all answer "not known to be
 * current", and the caller runs Flyway as before. It does not compare checksums, so a script edited
 * in place after it was applied is caught only when another migration is pending; scripts are
 * never edited once released. Stateless; safe for concurrent use.
 */
final class AppliedSchema {

  private static final Pattern VERSIONED = Pattern.compile("V[0-9][0-9._]*__[^/]+\\.sql");

  private AppliedSchema() {}

  /**
   * True only when {@code connection}'s database has applied exactly the versioned scripts of
   * {@code set} found on the classpath, every one successfully.
   */
  static boolean isCurrent(Connection connection, MigrationSet set) throws SQLException {
    Optional<Set<String>> available = availableScripts(
        AppliedSchema.class.getClassLoader(), set.locationFor(SqlDialect.SQLITE));
    if (available.isEmpty() || available.get().isEmpty()) {
      return false;
    }
    Optional<Set<String>> applied = appliedScripts(connection, set.historyTable());
    return applied.isPresent() && applied.get().equals(available.get());
  }

  /** Script names of the set's history table, or empty when it is absent or holds a failure. */
  private static Optional<Set<String>> appliedScripts(Connection connection, String table)
      throws SQLException {
    DatabaseMetaData meta = connection.getMetaData();
    try (ResultSet tables = meta.getTables(null, null, table, new String[] {"TABLE"})) {
      if (!tables.next()) {
        return Optional.empty();
      }
    }
    Set<String> scripts = new HashSet<>();
    // The table name comes from MigrationSet, whose name is a checked lowercase identifier.
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(
            "SELECT type, script, success FROM \"" + table + "\"")) {
      while (rows.next()) {
        if (!rows.getBoolean("success")) {
          return Optional.empty();
        }
        if ("SQL".equals(rows.getString("type"))) {
          scripts.add(rows.getString("script"));
        }
      }
    }
    return Optional.of(scripts);
  }

  /**
   * The versioned script names under {@code location} as {@code loader} sees it, or empty when a
   * copy of the location is in a place that cannot be listed here.
   */
  static Optional<Set<String>> availableScripts(ClassLoader loader, String location) {
    Set<String> scripts = new HashSet<>();
    try {
      Enumeration<URL> urls = loader.getResources(location);
      while (urls.hasMoreElements()) {
        URL url = urls.nextElement();
        switch (url.getProtocol()) {
          case "file" -> {
            String[] names = new File(url.toURI()).list();
            if (names == null) {
              return Optional.empty();
            }
            for (String name : names) {
              if (VERSIONED.matcher(name).matches()) {
                scripts.add(name);
              }
            }
          }
          case "jar" -> {
            // The class loader keeps the jar open; the cached JarFile is the one it reads from.
            JarFile jar = ((JarURLConnection) url.openConnection()).getJarFile();
            String prefix = location + "/";
            Enumeration<JarEntry> entries = jar.entries();
            while (entries.hasMoreElements()) {
              String name = entries.nextElement().getName();
              if (name.startsWith(prefix)) {
                String rest = name.substring(prefix.length());
                if (VERSIONED.matcher(rest).matches()) {
                  scripts.add(rest);
                }
              }
            }
          }
          default -> {
            return Optional.empty();
          }
        }
      }
    } catch (IOException | URISyntaxException | IllegalArgumentException e) {
      // Not listable here: Flyway, which has its own scanners, decides.
      return Optional.empty();
    }
    return Optional.of(scripts);
  }
}
