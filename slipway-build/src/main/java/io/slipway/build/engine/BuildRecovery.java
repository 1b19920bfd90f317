package io.slipway.build.engine;

import io.slipway.build.cache.BuildCache;
import io.slipway.build.cache.BuildContentIndex;
import io.slipway.oci.Digest;
import io.slipway.store.blob.FileBlobStore;
import io.slipway.store.fsck.BrokenRecord;
import io.slipway.store.fsck.DatabaseSalvage;
import io.slipway.store.sql.SqliteDatabase;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a builder does with its state root before building, after a crash, a {@code kill -9} or a
 * copy of a live disk: the build database is opened through {@link DatabaseSalvage}, so one that
 * SQLite reports corrupt is moved aside with a timestamp and a fresh one created (with an {@code
 * ERROR} line saying the cache records were lost), and cache and image records whose blobs are
 * missing are dropped (a miss the next build recomputes, an image the next build that needs it
 * writes again; never fatal). The other leftovers are swept where
 * they are made: temporary ingests by {@link FileBlobStore#open}, half-made snapshot trees by
 * {@link io.slipway.build.snapshot.Snapshotter#open}, runc bundles, their containers and mounts by
 * {@link io.slipway.build.run.RuncExecutor#open}.
 *
 * <p>Stateless; run it once per root, before the first build.
 */
public final class BuildRecovery {
  private static final Logger LOG = LoggerFactory.getLogger(BuildRecovery.class);

  /**
   * What recovery did. Immutable.
   *
   * @param setAside where a corrupt database was moved
   * @param problem what SQLite reported about it
   * @param dropped cache and image records removed because their content is missing
   */
  public record Outcome(Optional<Path> setAside, Optional<String> problem,
      List<BrokenRecord> dropped) {
    public Outcome {
      Objects.requireNonNull(setAside, "setAside");
      Objects.requireNonNull(problem, "problem");
      dropped = List.copyOf(dropped);
    }
  }

  /** The open database and what recovery did to get there. Immutable. */
  public record Recovered(SqliteDatabase database, Outcome outcome) {
    public Recovered {
      Objects.requireNonNull(database, "database");
      Objects.requireNonNull(outcome, "outcome");
    }
  }

  private BuildRecovery() {}

  /**
   * Opens the build database {@code file} of the root whose blobs are {@code store}, recovering
   * as the class comment says.
   */
  public static Recovered open(Path file, FileBlobStore store, Clock clock)
      throws SQLException, IOException {
    DatabaseSalvage.Opened opened =
        DatabaseSalvage.open(file, List.of(BuildCache.MIGRATIONS), clock);
    if (opened.setAside().isPresent()) {
      LOG.error("RECOVERY: the build database {} was corrupt ({}); it was moved to {} and a new"
              + " one created. LOST: every build cache record (the next builds recompute their"
              + " steps; the layers stay in {} and are reused by content). If registry data shared"
              + " this database, start the registry after restoring it from {}.",
          file, opened.problem().orElse("?"), opened.setAside().get(), store.root(),
          opened.setAside().get());
    }
    List<BrokenRecord> dropped;
    try {
      dropped = dropBroken(opened.database(), store);
    } catch (SQLException | RuntimeException e) {
      opened.database().close();
      throw e;
    }
    return new Recovered(opened.database(),
        new Outcome(opened.setAside(), opened.problem(), dropped));
  }

  /** Removes cache and image records naming blobs the store no longer holds, logging each one. */
  static List<BrokenRecord> dropBroken(SqliteDatabase database, FileBlobStore store)
      throws SQLException {
    BuildContentIndex index = new BuildContentIndex();
    Predicate<Digest> stored = digest -> {
      try {
        return store.exists(digest);
      } catch (IOException e) {
        return false;
      }
    };
    List<BrokenRecord> dropped = new ArrayList<>();
    for (BrokenRecord record : index.brokenRecords(database, stored)) {
      if (index.repair(database, record, stored)) {
        dropped.add(record);
        LOG.warn("recovery: dropped {} (the next build that needs it writes it again)", record);
      }
    }
    if (!dropped.isEmpty()) {
      LOG.warn("recovery of {}: {} build records pointed at missing content and were dropped",
          store.root(), dropped.size());
    }
    return dropped;
  }
}
