package io.slipway.cli;

import io.slipway.build.cache.BuildCache;
import io.slipway.build.cache.BuildContentIndex;
import io.slipway.registry.gc.RegistryContentIndex;
import io.slipway.registry.meta.SqlRegistryMetadata;
import io.slipway.store.blob.FileBlobStore;
import io.slipway.store.fsck.ContentIndex;
import io.slipway.store.fsck.DatabaseSalvage;
import io.slipway.store.fsck.Finding;
import io.slipway.store.fsck.Fsck;
import io.slipway.store.fsck.FsckReport;
import io.slipway.store.sql.Database;
import io.slipway.store.sql.MigrationSet;
import io.slipway.store.sql.SqliteDatabase;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code slipway fsck [--repair] [--root DIR]}: checks a registry or builder root (SQLite integrity,
 * every blob re-hashed, every record resolved, orphans listed) and with {@code --repair} removes
 * orphans and broken records. Exits 0 when clean, 1 when everything found was repaired, 2 when
 * problems are left. Confined to the command's thread (hashing fans out to a pool of its own).
 */
@Command(
    name = "fsck",
    mixinStandardHelpOptions = true,
    description = {
      "Check a Slipway state root: metadata integrity, every blob re-hashed, every reference"
          + " resolved, orphans listed.",
      "Exit status: 0 clean, 1 problems found and all repaired, 2 problems left."
    })
public final class FsckCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--root", paramLabel = "DIR",
      description = "State directory (default: ${DEFAULT-VALUE}).")
  Path root = Path.of("slipway-data");

  @Option(names = "--repair",
      description = "Delete corrupt and orphaned blobs and remove broken records.")
  boolean repair;

  @Option(names = "--orphan-grace", paramLabel = "DURATION",
      description = "Leave unreferenced blobs younger than this (Go notation, e.g. 10m) alone:"
          + " a push or a build may name them in a moment; 0s on a root nothing else uses"
          + " (default: ${DEFAULT-VALUE}).")
  String orphanGrace = "1h";

  @Option(names = "--threads", paramLabel = "N",
      description = "Blobs hashed at once (default: one per processor).")
  int threads = Runtime.getRuntime().availableProcessors();

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!Files.isDirectory(root.resolve("blobs"))) {
      err.println("slipway fsck: " + root + " is not a Slipway root (it has no blobs/ directory)");
      return FsckReport.PROBLEMS_LEFT;
    }
    Duration grace = RegistryConfigFile.duration(Path.of("--orphan-grace"), "value", orphanGrace);
    Path metaDb = root.resolve("meta.db");
    try (FileBlobStore store = FileBlobStore.open(root)) {
      Database database = null;
      Optional<String> corrupt = Optional.empty();
      if (Files.exists(metaDb)) {
        corrupt = DatabaseSalvage.corruption(metaDb);
        if (corrupt.isEmpty()) {
          // Opened first without migrating, to see which schemas the root holds; then with
          // exactly those, brought up to date as the server or builder would, so fsck never adds
          // another module's schema to a root (a builder's meta.db stays a builder's).
          database = SqliteDatabase.open(metaDb, List.of());
          List<MigrationSet> present = schemas(database);
          if (!present.isEmpty()) {
            database.close();
            database = SqliteDatabase.open(metaDb, present);
          }
        }
      }
      try {
        FsckReport report =
            new Fsck(store, database, indexes(database, store))
                .run(
                    new Fsck.Options(repair, Math.max(1, threads), grace),
                    progress(err));
        return print(report, corrupt, metaDb, out);
      } finally {
        if (database != null) {
          database.close();
        }
      }
    }
  }

  /**
   * The content indexes for the schemas {@code database} holds: a registry root has the registry's,
   * a builder root the build cache's, a root both use has both. A schema no index knows makes
   * fsck skip the orphan check rather than call its blobs orphans.
   */
  static List<ContentIndex> indexes(Database database, FileBlobStore store) throws SQLException {
    if (database == null) {
      return List.of();
    }
    List<ContentIndex> indexes = new ArrayList<>();
    for (MigrationSet schema : schemas(database)) {
      indexes.add(schema.equals(BuildCache.MIGRATIONS)
          ? new BuildContentIndex()
          : new RegistryContentIndex(store));
    }
    return indexes;
  }

  /** The migration sets with a content index whose history table {@code database} holds. */
  private static List<MigrationSet> schemas(Database database) throws SQLException {
    Set<String> present = database.read(connection -> {
      Set<String> names = new HashSet<>();
      try (PreparedStatement statement = connection.prepareStatement(
              "SELECT name FROM sqlite_master WHERE type = 'table'");
          ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          names.add(rows.getString(1));
        }
      }
      return names;
    });
    List<MigrationSet> schemas = new ArrayList<>();
    for (MigrationSet known : List.of(SqlRegistryMetadata.MIGRATIONS, BuildCache.MIGRATIONS)) {
      if (present.contains(known.historyTable())) {
        schemas.add(known);
      }
    }
    return schemas;
  }

  private static java.util.function.Consumer<Fsck.Progress> progress(PrintWriter err) {
    AtomicLong lastPrinted = new AtomicLong();
    return progress -> {
      long now = System.nanoTime();
      long last = lastPrinted.get();
      boolean done = progress.blobsDone() == progress.blobsTotal();
      if ((done || now - last > 1_000_000_000L) && lastPrinted.compareAndSet(last, now)) {
        synchronized (err) {
          err.printf("fsck: hashed %d/%d blobs, %d/%d MiB%n", progress.blobsDone(),
              progress.blobsTotal(), progress.bytesDone() >> 20, progress.bytesTotal() >> 20);
          err.flush();
        }
      }
    };
  }

  private int print(FsckReport report, Optional<String> corrupt, Path metaDb, PrintWriter out) {
    int exit = report.exitCode();
    if (corrupt.isPresent()) {
      out.println("fsck: database " + metaDb + " is corrupt (" + corrupt.get() + "); start the"
          + " registry or run a build on this root to set it aside and rebuild it from the"
          + " content store");
      exit = FsckReport.PROBLEMS_LEFT;
    }
    for (Finding finding : report.findings()) {
      out.println("fsck: " + finding.describe());
    }
    if (report.orphanCheckSkipped() != null) {
      out.println("fsck: orphans not checked: " + report.orphanCheckSkipped());
    }
    long left = report.findings().stream().filter(f -> !f.repaired()).count();
    out.println("fsck: " + report.blobsChecked() + " blobs (" + report.bytesChecked()
        + " bytes) checked; " + report.findings().size() + " problems, "
        + (report.findings().size() - left) + " repaired, " + left + " left"
        + (exit == FsckReport.CLEAN ? "; clean" : ""));
    out.flush();
    return exit;
  }
}
