package io.slipway.build.cache;

import io.slipway.oci.Digest;
import io.slipway.oci.DigestAlgorithm;
import io.slipway.store.sql.Database;
import io.slipway.store.sql.SqliteDatabase;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Remembers the content digest of build-context files across builds, keyed by absolute path and
 * checked against {@code lstat} (size, modification and change times in nanoseconds, inode), so an
 * unchanged file is not read again. Stored in the build database (table
 * {@code context_file_digest}). What makes a remembered digest safe to trust is decided by the
 * caller ({@code ContextChecksum}); this class only stores and loads rows.
 *
 * <p>The rows of a context are read from the database once per process: later reads take them
 * from the process-wide {@link ContextDigestMemo}, which every {@link #update} keeps in step with
 * what it commits (the memo says why that is as safe as reading the rows).
 *
 * <p>Safe for concurrent use: each call is one unit of database work.
 */
public final class FileDigestCache {

  /** What was known of one file when it was hashed; {@code digest} is a sha256 digest. */
  public record Entry(String path, long size, long modifiedNanos, long changedNanos, long inode,
      Digest digest) {

    public Entry {
      if (digest.algorithm() != DigestAlgorithm.SHA256) {
        throw new IllegalArgumentException("context file digests are sha256, got " + digest);
      }
    }

    /** True when a file with these stat fields is the one this entry hashed. */
    public boolean matches(long otherSize, long otherModified, long otherChanged, long otherInode) {
      return size == otherSize && modifiedNanos == otherModified && changedNanos == otherChanged
          && inode == otherInode;
    }
  }

  private final Database database;
  private final ContextDigestMemo memo;

  /** A cache over {@code database}, opened with {@link BuildCache#MIGRATIONS}. */
  public FileDigestCache(Database database) {
    this(database, ContextDigestMemo.SHARED);
  }

  /** As {@link #FileDigestCache(Database)}, with a memo of its own; for tests. */
  FileDigestCache(Database database, ContextDigestMemo memo) {
    this.database = database;
    this.memo = memo;
  }

  /** Every entry whose path lies under {@code directory} (an absolute path). */
  public ContextDigests under(String directory) throws IOException {
    String prefix = prefix(directory);
    Optional<ContextDigestMemo.Key> key = memoKey(prefix);
    if (key.isPresent()) {
      Optional<ContextDigests> kept = memo.get(key.get());
      if (kept.isPresent()) {
        return kept.get();
      }
    }
    ContextDigests entries = read(prefix);
    key.ifPresent(k -> memo.putIfAbsent(k, entries));
    return entries;
  }

  /**
   * Where the memo keeps the rows under {@code prefix}: by database file, so two roots never share
   * rows. A database without a file of its own (a server database) is not memoised.
   */
  private Optional<ContextDigestMemo.Key> memoKey(String prefix) {
    return database instanceof SqliteDatabase sqlite
        ? Optional.of(new ContextDigestMemo.Key(sqlite.file().toAbsolutePath().normalize(), prefix))
        : Optional.empty();
  }

  private static String prefix(String directory) {
    return directory.endsWith("/") ? directory : directory + "/";
  }

  private ContextDigests read(String prefix) throws IOException {
    try {
      return database.read(connection -> {
        List<String> paths = new ArrayList<>();
        List<Entry> entries = new ArrayList<>();
        // '0' sorts right after '/', so the range is exactly the paths starting with the prefix.
        try (PreparedStatement select = connection.prepareStatement(
            "SELECT path, size, mtime_ns, ctime_ns, inode, sha256 FROM context_file_digest"
                + " WHERE path >= ? AND path < ? ORDER BY path")) {
          select.setString(1, prefix);
          select.setString(2, prefix.substring(0, prefix.length() - 1) + "0");
          try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
              // The hex alone: parsing 20,000 full digest strings showed in no-change rebuilds.
              Entry entry = new Entry(rows.getString(1), rows.getLong(2), rows.getLong(3),
                  rows.getLong(4), rows.getLong(5),
                  new Digest(DigestAlgorithm.SHA256, rows.getString(6)));
              paths.add(entry.path().substring(prefix.length()));
              entries.add(entry);
            }
          }
        }
        return ContextDigests.ofRows(paths, entries);
      });
    } catch (SQLException e) {
      throw new IOException("cannot read context file digests from the build cache: "
          + e.getMessage(), e);
    }
  }

  /**
   * Stores {@code remember} (replacing rows of the same path) and drops {@code forget}, both under
   * {@code directory}: {@code remember} by absolute path, {@code forget} by path relative to
   * {@code directory}, as {@link #under} gives them.
   */
  public void update(String directory, Collection<Entry> remember, Collection<String> forget)
      throws IOException {
    if (remember.isEmpty() && forget.isEmpty()) {
      return;
    }
    String prefix = prefix(directory);
    Map<String, Entry> byRelative = new HashMap<>();
    for (Entry entry : remember) {
      if (!entry.path().startsWith(prefix) || entry.path().length() == prefix.length()) {
        throw new IllegalArgumentException(entry.path() + " does not lie under " + prefix);
      }
      byRelative.put(entry.path().substring(prefix.length()), entry);
    }
    try {
      database.transaction(connection -> {
        try (PreparedStatement delete = connection.prepareStatement(
            "DELETE FROM context_file_digest WHERE path = ?")) {
          for (String path : forget) {
            delete.setString(1, prefix + path);
            delete.addBatch();
          }
          delete.executeBatch();
        }
        try (PreparedStatement upsert = connection.prepareStatement(
            "INSERT INTO context_file_digest (path, size, mtime_ns, ctime_ns, inode, sha256)"
                + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (path) DO UPDATE SET"
                + " size = excluded.size, mtime_ns = excluded.mtime_ns,"
                + " ctime_ns = excluded.ctime_ns, inode = excluded.inode,"
                + " sha256 = excluded.sha256")) {
          for (Entry entry : remember) {
            upsert.setString(1, entry.path());
            upsert.setLong(2, entry.size());
            upsert.setLong(3, entry.modifiedNanos());
            upsert.setLong(4, entry.changedNanos());
            upsert.setLong(5, entry.inode());
            upsert.setString(6, entry.digest().encoded());
            upsert.addBatch();
          }
          upsert.executeBatch();
        }
        return null;
      });
      // After the commit, so the memo never holds what the database may not.
      Optional<ContextDigestMemo.Key> key = memoKey(prefix);
      if (key.isPresent()) {
        memo.apply(key.get(), byRelative, forget);
      }
    } catch (SQLException e) {
      throw new IOException("cannot record context file digests in the build cache: "
          + e.getMessage(), e);
    }
  }
}
