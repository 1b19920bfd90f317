package io.slipway.store.sql;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.jar.JarEntry;
import org.sqlite.SQLiteJDBCLoader;

/**
 * Points sqlite-jdbc at a copy of its native library that stays between runs, so that starting a
 * command does not extract it again. Thread-safe; the work is done once per JVM.
 *
 * <p>Why: left alone, sqlite-jdbc inflates its 1 MB library from the jar into the temporary
 * directory on every start, inflates it a second time to compare the two, lists the temporary
 * directory for old copies, and runs a process to ask whether this is Android: tens of
 * milliseconds of every command that opens a database. Here the library is extracted once under
 * the user's cache directory ({@code $XDG_CACHE_HOME/slipway}, else {@code ~/.cache/slipway}),
 * in a directory named after the driver's version and the library's CRC in the jar, so another
 * driver never uses it. Concurrent first starts each write a file of their own and rename it into
 * place: a reader sees no file or a whole one, and the contents are the same either way.
 *
 * <p>Anything unusual (a user who set {@code org.sqlite.lib.path} or {@code org.sqlite.tmpdir}
 * already, an architecture this does not know, a cache directory that cannot be written) leaves
 * the driver to its own loading, which is slower but works; a copy that will not load makes the
 * driver fall back to its own extraction too.
 */
final class SqliteNativeLibrary {
  static final String PATH_PROPERTY = "org.sqlite.lib.path";
  static final String NAME_PROPERTY = "org.sqlite.lib.name";
  static final String TMPDIR_PROPERTY = "org.sqlite.tmpdir";

  private static volatile boolean prepared;

  private SqliteNativeLibrary() {}

  /** Makes sure the driver will load the kept copy, when that is possible; idempotent. */
  static void prepare() {
    if (prepared) {
      return;
    }
    synchronized (SqliteNativeLibrary.class) {
      if (!prepared) {
        prepareOnce(cacheRoot());
        prepared = true;
      }
    }
  }

  /** Does the work of {@link #prepare()} with the cache under {@code cacheRoot}; null skips it. */
  static void prepareOnce(Path cacheRoot) {
    if (cacheRoot == null || System.getProperty(PATH_PROPERTY) != null
        || System.getProperty(TMPDIR_PROPERTY) != null) {
      return;
    }
    String resource = resourcePath();
    if (resource == null) {
      return;
    }
    try {
      URL url = SQLiteJDBCLoader.class.getResource(resource);
      if (url == null) {
        return;
      }
      URLConnection connection = url.openConnection();
      // Caching the JarFile is the class loader's business; closing it here would pull it away.
      connection.setUseCaches(true);
      long size = -1;
      String crc = "nocrc";
      if (connection instanceof JarURLConnection jar) {
        JarEntry entry = jar.getJarEntry();
        size = entry.getSize();
        crc = Long.toHexString(entry.getCrc());
      }
      String name = System.mapLibraryName("sqlitejdbc");
      Path dir = cacheRoot.resolve("native")
          .resolve("sqlite-jdbc-" + SQLiteJDBCLoader.getVersion() + "-" + crc);
      Path library = dir.resolve(name);
      if (!Files.isRegularFile(library) || (size >= 0 && Files.size(library) != size)) {
        Files.createDirectories(dir);
        Path partial = Files.createTempFile(dir, name, ".partial");
        try {
          try (InputStream in = connection.getInputStream()) {
            Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
          }
          Files.move(partial, library, StandardCopyOption.ATOMIC_MOVE,
              StandardCopyOption.REPLACE_EXISTING);
        } finally {
          Files.deleteIfExists(partial);
        }
      }
      System.setProperty(PATH_PROPERTY, dir.toString());
      System.setProperty(NAME_PROPERTY, name);
      // The driver's clean-up of old extractions lists this directory at every start: the
      // kept directory holds one file, the system's temporary directory may hold thousands.
      System.setProperty(TMPDIR_PROPERTY, dir.toString());
    } catch (IOException | RuntimeException e) {
      // The driver's own extraction still works; only the start-up is slower.
    }
  }

  /** The library's path in the sqlite-jdbc jar on Linux (glibc), or null for other systems. */
  static String resourcePath() {
    String os = System.getProperty("os.name", "");
    if (!os.equals("Linux") || Files.exists(Path.of("/lib/ld-musl-x86_64.so.1"))
        || Files.exists(Path.of("/lib/ld-musl-aarch64.so.1"))) {
      return null;
    }
    String arch = switch (System.getProperty("os.arch", "").toLowerCase(Locale.ROOT)) {
      case "amd64", "x86_64" -> "x86_64";
      case "aarch64", "arm64" -> "aarch64";
      case "ppc64le" -> "ppc64";
      case "riscv64" -> "riscv64";
      default -> null;
    };
    return arch == null ? null : "/org/sqlite/native/Linux/" + arch + "/"
        + System.mapLibraryName("sqlitejdbc");
  }

  /** {@code $XDG_CACHE_HOME/slipway}, else {@code ~/.cache/slipway}; null when neither is known. */
  static Path cacheRoot() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    if (xdg != null && xdg.startsWith("/")) {
      return Path.of(xdg, "slipway");
    }
    String home = System.getProperty("user.home", "");
    return home.startsWith("/") ? Path.of(home, ".cache", "slipway") : null;
  }
}
