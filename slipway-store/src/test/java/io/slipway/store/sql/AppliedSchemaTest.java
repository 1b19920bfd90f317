package io.slipway.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppliedSchemaTest {

  private static final String FIXTURES = "io/slipway/store/sql/fixtures/";
  private static final MigrationSet INVENTORY = new MigrationSet("inventory", FIXTURES + "inventory");
  private static final MigrationSet INVENTORY_GROWN =
      new MigrationSet("inventory", FIXTURES + "inventory_grown");

  @TempDir Path directory;

  @Test
  void isCurrentOnlyWhenEveryScriptOnTheClasspathIsApplied() throws SQLException {
    Path file = directory.resolve("meta.db");
    try (Connection fresh = connect(file)) {
      assertThat(AppliedSchema.isCurrent(fresh, INVENTORY)).as("no history table yet").isFalse();
    }
    SqliteDatabase.open(file, List.of(INVENTORY)).close();
    try (Connection migrated = connect(file)) {
      assertThat(AppliedSchema.isCurrent(migrated, INVENTORY)).as("V1 applied").isTrue();
      assertThat(AppliedSchema.isCurrent(migrated, INVENTORY_GROWN)).as("V2 pending").isFalse();
    }
    // The pending script is applied on the next open, which the fast check must not skip.
    try (SqliteDatabase grown = SqliteDatabase.open(file, List.of(INVENTORY_GROWN))) {
      int applied = grown.read(c -> {
        try (Statement s = c.createStatement();
            var rows = s.executeQuery("SELECT count(*) FROM inventory_schema_history"
                + " WHERE type = 'SQL'")) {
          rows.next();
          return rows.getInt(1);
        }
      });
      assertThat(applied).isEqualTo(2);
    }
    try (Connection again = connect(file)) {
      assertThat(AppliedSchema.isCurrent(again, INVENTORY_GROWN)).isTrue();
    }
  }

  @Test
  void isNotCurrentWhenTheHistoryRecordsAFailure() throws SQLException {
    Path file = directory.resolve("meta.db");
    SqliteDatabase.open(file, List.of(INVENTORY)).close();
    try (Connection connection = connect(file); Statement statement = connection.createStatement()) {
      statement.executeUpdate("UPDATE inventory_schema_history SET success = 0 WHERE type = 'SQL'");
      assertThat(AppliedSchema.isCurrent(connection, INVENTORY)).isFalse();
    }
  }

  @Test
  void listsVersionedScriptsInsideAJar() throws Exception {
    Path jar = directory.resolve("schemas.jar");
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream entries = new JarOutputStream(out)) {
      for (String name : List.of("db/sqlite/", "db/sqlite/V1__one.sql", "db/sqlite/V2__two.sql",
          "db/sqlite/README.txt", "db/sqlite/nested/V3__three.sql", "db/other/V9__nine.sql")) {
        entries.putNextEntry(new JarEntry(name));
        if (!name.endsWith("/")) {
          entries.write("SELECT 1;".getBytes(StandardCharsets.UTF_8));
        }
        entries.closeEntry();
      }
    }
    try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
      assertThat(AppliedSchema.availableScripts(loader, "db/sqlite"))
          .hasValueSatisfying(names -> assertThat(names)
              .containsExactlyInAnyOrder("V1__one.sql", "V2__two.sql"));
    }
  }

  private static Connection connect(Path file) throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
  }
}
