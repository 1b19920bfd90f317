package io.slipway.registry.meta;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;

/**
 * Applies the registry's schema scripts ({@code V<n>__*.sql} beside this class) in order, each in
 * one transaction with its version recorded in {@code registry_schema_version}. Stateless; run it
 * once at startup before serving.
 */
public final class SchemaMigrations {
  /** The scripts in the order they apply; append, never edit a released one. */
  static final List<String> SCRIPTS = List.of("V1__registry.sql");

  private SchemaMigrations() {}

  /** Brings the schema behind {@code dataSource} up to date. */
  public static void migrate(DataSource dataSource) {
    try (Connection connection = dataSource.getConnection()) {
      try (Statement statement = connection.createStatement()) {
        statement.execute(
            "CREATE TABLE IF NOT EXISTS registry_schema_version"
                + " (version INTEGER NOT NULL PRIMARY KEY, applied_at BIGINT NOT NULL)");
      }
      int current = currentVersion(connection);
      for (int version = current + 1; version <= SCRIPTS.size(); version++) {
        apply(connection, version, read(SCRIPTS.get(version - 1)));
      }
    } catch (SQLException | IOException e) {
      throw new MetadataException("cannot migrate the registry schema: " + e.getMessage(), e);
    }
  }

  private static int currentVersion(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery("SELECT COALESCE(MAX(version), 0) FROM registry_schema_version")) {
      rows.next();
      return rows.getInt(1);
    }
  }

  private static void apply(Connection connection, int version, String script) throws SQLException {
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try {
      try (Statement statement = connection.createStatement()) {
        for (String sql : statements(script)) {
          statement.execute(sql);
        }
      }
      try (PreparedStatement insert =
          connection.prepareStatement(
              "INSERT INTO registry_schema_version (version, applied_at) VALUES (?, ?)")) {
        insert.setInt(1, version);
        insert.setLong(2, System.currentTimeMillis());
        insert.executeUpdate();
      }
      connection.commit();
    } catch (SQLException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(autoCommit);
    }
  }

  /** Splits a script on semicolons that end a line, dropping comment lines. */
  static List<String> statements(String script) {
    StringBuilder withoutComments = new StringBuilder();
    for (String line : script.split("\n")) {
      if (!line.strip().startsWith("--")) {
        withoutComments.append(line).append('\n');
      }
    }
    return java.util.Arrays.stream(withoutComments.toString().split(";\\s*\n"))
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .map(s -> s.endsWith(";") ? s.substring(0, s.length() - 1) : s)
        .toList();
  }

  private static String read(String name) throws IOException {
    try (InputStream in = SchemaMigrations.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("schema script " + name + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
