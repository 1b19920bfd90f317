package io.slipway.build.cache;

import io.slipway.store.sql.Database;
import io.slipway.store.sql.SqlWork;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Who is using a builder root right now, across every process that shares it: running builds
 * (each holding the cache records it uses) and content sweeps. The two exclude each other — a
 * sweep is claimed only while no build runs, and a build waits while a sweep holds its claim — so
 * content is deleted only when no build can be reading it. Both claims are rows written in one
 * {@code BEGIN IMMEDIATE} transaction, which SQLite serialises across processes; an owner that
 * crashed is recognised by its pid and start time ({@link ProcessIdentity}) and its rows ignored
 * and removed, so a crash never blocks the root.
 *
 * <p>Safe for concurrent use; no lock is held between calls. A build waiting for a sweep polls
 * rather than blocking inside a transaction.
 */
public final class BuildLeases {

  /** How long a build waits for a content sweep before giving up with an error. */
  public static final Duration SWEEP_WAIT = Duration.ofMinutes(10);

  private static final long POLL_MILLIS = 50;

  private final Database database;
  private final Clock clock;
  private final ProcessIdentity self;

  /** Leases in {@code database} (opened with {@link BuildCache#MIGRATIONS}), owned by this process. */
  public BuildLeases(Database database, Clock clock) {
    this.database = database;
    this.clock = clock;
    this.self = ProcessIdentity.current();
  }

  /** A lease for one build; waits while a content sweep holds the root (at most {@link #SWEEP_WAIT}). */
  public BuildLease acquire() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + SWEEP_WAIT.toNanos();
    while (true) {
      Attempt attempt = tryInsert("build", false);
      if (attempt.lease().isPresent()) {
        return attempt.lease().get();
      }
      if (System.nanoTime() > deadline) {
        throw new IOException("a prune (process " + attempt.conflict().orElseThrow().pid()
            + ") has been deleting content from this builder root for " + SWEEP_WAIT.toMinutes()
            + " minutes; wait for it or stop it");
      }
      Thread.sleep(POLL_MILLIS);
    }
  }

  /**
   * The claim to delete content, when no build (and no other sweep) holds a live lease; empty
   * otherwise, so the caller defers the deletion.
   */
  public Optional<BuildLease> tryClaimSweep() throws IOException {
    return tryInsert("gc", true).lease();
  }

  /** Whether any build, in any process, holds a live lease. */
  public boolean anyBuildRunning() throws IOException {
    return withTransaction(connection ->
        liveLeases(connection).stream().anyMatch(lease -> lease.purpose().equals("build")));
  }

  /** The cache keys live leases hold; leases of dead processes are removed on the way. */
  public Set<String> heldKeys() throws IOException {
    return withTransaction(connection -> {
      liveLeases(connection);
      Set<String> keys = new HashSet<>();
      try (PreparedStatement select = connection.prepareStatement(
          "SELECT cache_key FROM build_lease_records");
          ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          keys.add(rows.getString(1));
        }
      }
      return keys;
    });
  }

  void release(String id) throws IOException {
    withTransaction(connection -> {
      try (PreparedStatement delete = connection.prepareStatement(
          "DELETE FROM build_leases WHERE lease_id = ?")) {
        delete.setString(1, id);
        delete.executeUpdate();
      }
      return null;
    });
  }

  /** Adds {@code key} to {@code lease} inside the caller's transaction; nothing for no lease. */
  static void hold(Connection connection, BuildLease lease, String key) throws SQLException {
    if (lease.id().isEmpty()) {
      return;
    }
    try (PreparedStatement insert = connection.prepareStatement(
        "INSERT OR IGNORE INTO build_lease_records (lease_id, cache_key) VALUES (?, ?)")) {
      insert.setString(1, lease.id().get());
      insert.setString(2, key);
      insert.executeUpdate();
    }
  }

  private record Attempt(Optional<BuildLease> lease, Optional<ProcessIdentity> conflict) {}

  private record Lease(String id, String purpose, ProcessIdentity owner) {}

  /**
   * Inserts a lease of {@code purpose} unless a live conflicting lease exists: a sweep, or for an
   * {@code exclusive} claim any lease at all.
   */
  private Attempt tryInsert(String purpose, boolean exclusive) throws IOException {
    String id = UUID.randomUUID().toString();
    Optional<ProcessIdentity> conflict = withTransaction(connection -> {
      for (Lease lease : liveLeases(connection)) {
        if (exclusive || lease.purpose().equals("gc")) {
          return Optional.of(lease.owner());
        }
      }
      try (PreparedStatement insert = connection.prepareStatement(
          "INSERT INTO build_leases (lease_id, purpose, owner_pid, owner_started, created_at)"
              + " VALUES (?, ?, ?, ?, ?)")) {
        insert.setString(1, id);
        insert.setString(2, purpose);
        insert.setLong(3, self.pid());
        insert.setLong(4, self.startedMillis());
        insert.setLong(5, clock.millis());
        insert.executeUpdate();
      }
      return Optional.<ProcessIdentity>empty();
    });
    return conflict.isPresent()
        ? new Attempt(Optional.empty(), conflict)
        : new Attempt(Optional.of(new BuildLease(this, id)), Optional.empty());
  }

  /**
   * The leases whose owner still runs; deletes the others (with their records) in the caller's
   * transaction. Checking a pid reads {@code /proc}, a memory file system, so it may run while the
   * write lock is held.
   */
  private static List<Lease> liveLeases(Connection connection) throws SQLException {
    List<Lease> all = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement(
        "SELECT lease_id, purpose, owner_pid, owner_started FROM build_leases");
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        all.add(new Lease(rows.getString(1), rows.getString(2),
            new ProcessIdentity(rows.getLong(3), rows.getLong(4))));
      }
    }
    List<Lease> live = new ArrayList<>();
    for (Lease lease : all) {
      if (lease.owner().isAlive()) {
        live.add(lease);
        continue;
      }
      try (PreparedStatement delete = connection.prepareStatement(
          "DELETE FROM build_leases WHERE lease_id = ?")) {
        delete.setString(1, lease.id());
        delete.executeUpdate();
      }
    }
    return live;
  }

  private <T> T withTransaction(SqlWork<T, SQLException> work) throws IOException {
    try {
      return database.transaction(work);
    } catch (SQLException e) {
      throw new IOException("cannot update the build leases in the build database: "
          + e.getMessage(), e);
    }
  }
}
