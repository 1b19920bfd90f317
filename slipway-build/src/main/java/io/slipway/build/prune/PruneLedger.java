package io.slipway.build.prune;

import io.slipway.build.cache.BuildImages;
import io.slipway.oci.Digest;
import io.slipway.store.sql.Database;
import io.slipway.store.sql.SqlWork;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Prune's tables in the build database: removing records while condemning their content in the
 * same transaction ({@code build_garbage}), so metadata always goes first and a crash before the
 * content is deleted leaves a list the next sweep finishes; and the time of the last automatic GC
 * ({@code build_gc_schedule}).
 *
 * <p>Safe for concurrent use: each call is one transaction.
 */
final class PruneLedger {

  private final Database database;

  PruneLedger(Database database) {
    this.database = database;
  }

  /**
   * Removes {@code planned} records that no build holds (re-checked here, since a build may have
   * started since they were planned) and condemns the blobs and cache directories they named.
   * Returns the records removed.
   */
  List<UsageRecord> condemn(List<UsageRecord> planned, Instant now) throws IOException {
    return transaction(connection -> {
      List<UsageRecord> removed = new ArrayList<>();
      for (UsageRecord record : planned) {
        if (record.type() == RecordType.CACHE_MOUNT) {
          insertGarbage(connection, Garbage.Kind.CACHE_MOUNT, record.id(), now);
          removed.add(record);
          continue;
        }
        if (record.type() == RecordType.IMAGE) {
          // Record ids are the hex of the image's sha256 root digest.
          if (!BuildImages.removeUnheld(connection, Digest.parse("sha256:" + record.id()))) {
            continue;
          }
        } else {
          try (PreparedStatement delete = connection.prepareStatement(
              "DELETE FROM build_cache WHERE cache_key = ? AND NOT EXISTS"
                  + " (SELECT 1 FROM build_lease_records WHERE cache_key = ?)")) {
            // Record ids are the hex of the sha256 cache key; the table stores the whole digest.
            String key = "sha256:" + record.id();
            delete.setString(1, key);
            delete.setString(2, key);
            if (delete.executeUpdate() == 0) {
              continue;
            }
          }
        }
        for (ContentItem item : record.items()) {
          if (item instanceof ContentItem.Blob blob) {
            insertGarbage(connection, Garbage.Kind.BLOB, blob.digest().toString(), now);
          }
        }
        removed.add(record);
      }
      return removed;
    });
  }

  private static void insertGarbage(java.sql.Connection connection, Garbage.Kind kind,
      String name, Instant now) throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement(
        "INSERT INTO build_garbage (kind, name, condemned_at) VALUES (?, ?, ?)"
            + " ON CONFLICT (kind, name) DO UPDATE SET condemned_at = excluded.condemned_at")) {
      insert.setString(1, kind.column);
      insert.setString(2, name);
      insert.setLong(3, now.toEpochMilli());
      insert.executeUpdate();
    }
  }

  /** Everything condemned and not yet deleted. */
  List<Garbage> pending() throws IOException {
    try {
      return database.read(connection -> {
        List<Garbage> result = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
            "SELECT kind, name, condemned_at FROM build_garbage ORDER BY kind, name");
            ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            result.add(new Garbage(Garbage.Kind.of(rows.getString(1)), rows.getString(2),
                Instant.ofEpochMilli(rows.getLong(3))));
          }
        }
        return result;
      });
    } catch (SQLException e) {
      throw new IOException("cannot read build_garbage: " + e.getMessage(), e);
    }
  }

  /** Drops {@code garbage} from the list, once deleted or found to be needed again. */
  void forget(Garbage garbage) throws IOException {
    transaction(connection -> {
      try (PreparedStatement delete = connection.prepareStatement(
          "DELETE FROM build_garbage WHERE kind = ? AND name = ?")) {
        delete.setString(1, garbage.kind().column);
        delete.setString(2, garbage.name());
        delete.executeUpdate();
      }
      return null;
    });
  }

  /**
   * Whether automatic GC is due: true, and recorded as run at {@code now}, when it last ran
   * {@code interval} or longer ago. One transaction, so of concurrent callers at most one wins.
   */
  boolean claimAutomaticRun(Instant now, Duration interval) throws IOException {
    return transaction(connection -> {
      try (PreparedStatement update = connection.prepareStatement(
          "UPDATE build_gc_schedule SET last_auto_run = ? WHERE id = 1 AND last_auto_run <= ?")) {
        update.setLong(1, now.toEpochMilli());
        update.setLong(2, now.minus(interval).toEpochMilli());
        return update.executeUpdate() == 1;
      }
    });
  }

  private <T> T transaction(SqlWork<T, SQLException> work) throws IOException {
    try {
      return database.transaction(work);
    } catch (SQLException e) {
      throw new IOException("cannot update prune state in the build database: " + e.getMessage(),
          e);
    }
  }
}
