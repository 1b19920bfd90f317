package io.slipway.cli;

import io.slipway.build.cache.BuildCache;
import io.slipway.build.prune.BuilderLayout;
import io.slipway.build.prune.Pruner;
import io.slipway.registry.gc.RegistryContentIndex;
import io.slipway.store.blob.FileBlobStore;
import io.slipway.store.fsck.ContentIndex;
import io.slipway.store.sql.Database;
import io.slipway.store.sql.SqliteDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;

/**
 * An existing builder state root opened for {@code slipway du} and {@code slipway prune}: its
 * content store and build database, and a {@link Pruner} over them that spares blobs a registry
 * sharing the root names. Confined to the command's thread; close it when done.
 */
final class BuilderRoot implements AutoCloseable {

  private final FileBlobStore store;
  private final SqliteDatabase database;
  private final Pruner pruner;

  private BuilderRoot(FileBlobStore store, SqliteDatabase database, Pruner pruner) {
    this.store = store;
    this.database = database;
    this.pruner = pruner;
  }

  /** Opens {@code root}, which must hold a build database; a clear error names it otherwise. */
  static BuilderRoot open(Path root) throws IOException {
    // As for builds: the report is the output; library chatter (migrations, pools) only on trouble.
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    BuilderLayout layout = new BuilderLayout(root.toAbsolutePath());
    if (!Files.isRegularFile(layout.metaDb())) {
      throw new IOException("no builder state in " + layout.root() + " (no meta.db): build"
          + " something there first, or pass the --root your builds use");
    }
    FileBlobStore store = FileBlobStore.open(layout.root());
    SqliteDatabase database;
    try {
      database = SqliteDatabase.open(layout.metaDb(), List.of(BuildCache.MIGRATIONS));
    } catch (SQLException e) {
      store.close();
      throw new IOException("cannot open the build database " + layout.metaDb() + ": "
          + e.getMessage(), e);
    }
    Pruner pruner = Pruner.of(layout, database, store, Clock.systemUTC())
        .withOtherIndexes(coLocated(database, store));
    return new BuilderRoot(store, database, pruner);
  }

  /**
   * The content indexes of other modules whose tables the database holds: a registry serving
   * from the same root names blobs the builder wrote, and prune must leave those.
   */
  static List<ContentIndex> coLocated(Database database, FileBlobStore store) throws IOException {
    try {
      boolean registry = database.read(connection -> {
        try (PreparedStatement select = connection.prepareStatement(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'registry_blob_links'");
            ResultSet rows = select.executeQuery()) {
          return rows.next();
        }
      });
      return registry ? List.of(new RegistryContentIndex(store)) : List.of();
    } catch (SQLException e) {
      throw new IOException("cannot read the database schema: " + e.getMessage(), e);
    }
  }

  Pruner pruner() {
    return pruner;
  }

  @Override
  public void close() throws IOException {
    try {
      database.close();
    } catch (SQLException e) {
      throw new IOException("cannot close the build database: " + e.getMessage(), e);
    } finally {
      store.close();
    }
  }
}
