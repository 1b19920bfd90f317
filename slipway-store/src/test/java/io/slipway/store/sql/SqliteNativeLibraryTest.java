package io.slipway.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteJDBCLoader;

class SqliteNativeLibraryTest {
  private static final List<String> PROPERTIES = List.of(SqliteNativeLibrary.PATH_PROPERTY,
      SqliteNativeLibrary.NAME_PROPERTY, SqliteNativeLibrary.TMPDIR_PROPERTY);

  @TempDir Path cache;

  private final Map<String, String> saved = new HashMap<>();

  // The properties are the JVM's; other tests in this JVM must find them as they were.
  @BeforeEach
  void clearProperties() {
    for (String name : PROPERTIES) {
      saved.put(name, System.getProperty(name));
    }
    nextStart();
  }

  /** What a new JVM sees: none of the driver's properties set. */
  private static void nextStart() {
    PROPERTIES.forEach(System::clearProperty);
  }

  @AfterEach
  void restoreProperties() {
    saved.forEach((name, value) -> {
      if (value == null) {
        System.clearProperty(name);
      } else {
        System.setProperty(name, value);
      }
    });
  }

  private static byte[] libraryInJar() throws Exception {
    try (InputStream in =
        SQLiteJDBCLoader.class.getResourceAsStream(SqliteNativeLibrary.resourcePath())) {
      assertThat(in).as("the driver's library for this machine").isNotNull();
      return in.readAllBytes();
    }
  }

  private Path keptLibrary() throws Exception {
    try (Stream<Path> files = Files.walk(cache)) {
      List<Path> libraries = files.filter(Files::isRegularFile).toList();
      assertThat(libraries).hasSize(1);
      return libraries.get(0);
    }
  }

  @Test
  void extractsTheLibraryOnceUnderAVersionedDirectoryAndPointsTheDriverAtIt() throws Exception {
    SqliteNativeLibrary.prepareOnce(cache);

    Path library = keptLibrary();
    assertThat(Files.readAllBytes(library)).isEqualTo(libraryInJar());
    assertThat(library.getParent().getFileName().toString())
        .startsWith("sqlite-jdbc-" + SQLiteJDBCLoader.getVersion() + "-");
    assertThat(System.getProperty(SqliteNativeLibrary.PATH_PROPERTY))
        .isEqualTo(library.getParent().toString());
    assertThat(System.getProperty(SqliteNativeLibrary.NAME_PROPERTY))
        .isEqualTo(library.getFileName().toString());

    // A second start reuses the file as it is.
    FileTime old = FileTime.fromMillis(1_000_000_000L);
    Files.setLastModifiedTime(library, old);
    nextStart();
    SqliteNativeLibrary.prepareOnce(cache);
    assertThat(Files.getLastModifiedTime(library)).isEqualTo(old);
  }

  @Test
  void replacesATruncatedCopy() throws Exception {
    SqliteNativeLibrary.prepareOnce(cache);
    Path library = keptLibrary();
    Files.write(library, new byte[] {1, 2, 3});

    nextStart();
    SqliteNativeLibrary.prepareOnce(cache);

    assertThat(Files.readAllBytes(keptLibrary())).isEqualTo(libraryInJar());
  }

  @Test
  void leavesTheDriverAloneWhenTheUserChoseAPath() throws Exception {
    System.setProperty(SqliteNativeLibrary.PATH_PROPERTY, "/somewhere/else");

    SqliteNativeLibrary.prepareOnce(cache);

    assertThat(System.getProperty(SqliteNativeLibrary.PATH_PROPERTY)).isEqualTo("/somewhere/else");
    try (Stream<Path> files = Files.list(cache)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void aDatabaseOpensWithTheKeptLibrary() throws Exception {
    SqliteNativeLibrary.prepareOnce(cache);
    try (SqliteDatabase database = SqliteDatabase.open(cache.resolve("db.sqlite"), List.of())) {
      int answer = database.read(connection -> {
        try (var statement = connection.createStatement();
            var result = statement.executeQuery("SELECT 6 * 7")) {
          result.next();
          return result.getInt(1);
        }
      });
      assertThat(answer).isEqualTo(42);
    }
  }
}
