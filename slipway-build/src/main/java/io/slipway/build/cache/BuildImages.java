package io.slipway.build.cache;

import io.slipway.oci.Descriptor;
import io.slipway.oci.Digest;
import io.slipway.store.blob.BlobStore;
import io.slipway.store.sql.Database;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The builder's image records ({@code build_images}, {@code build_image_blobs}): the images builds
 * produced and the base images they resolved, with the manifest, index and config blobs each keeps
 * alive. Without them those blobs, which no cache record names, would be orphans to fsck and
 * garbage to a co-located registry's GC. A record is written after its blobs are in the store, in
 * one transaction that also makes the build's lease hold it, so prune leaves it while the build
 * runs.
 *
 * <p>Safe for concurrent use; each call is one unit of database work and holds no lock of its own.
 */
public final class BuildImages {

  private final Database database;
  private final BlobStore store;
  private final Clock clock;

  /**
   * Image records in {@code database} (opened with {@link BuildCache#MIGRATIONS}), naming blobs in
   * {@code store}.
   */
  public BuildImages(Database database, BlobStore store, Clock clock) {
    this.database = database;
    this.store = store;
    this.clock = clock;
  }

  /**
   * Records the image whose root is {@code root} with its metadata {@code blobs} (all in the store
   * already), or marks an existing record used now; {@code lease} holds it.
   *
   * @throws io.slipway.store.blob.BlobNotFoundException when one of {@code blobs} is no longer
   *     stored (a collector sharing the root deleted it); nothing is recorded
   */
  public void record(Digest root, ImageRecord.Role role, String description,
      List<Descriptor> blobs, BuildLease lease) throws IOException {
    record(root, role, description, blobs, List.of(), lease);
  }

  /**
   * Records the image whose root is {@code root} as {@link #record(Digest, ImageRecord.Role,
   * String, List, BuildLease)} does, with the compressed layers it carries ({@code layers}, all in
   * the store already) among its blobs, so that {@link #compressedLayer} finds them.
   */
  public void record(Digest root, ImageRecord.Role role, String description,
      List<Descriptor> blobs, List<CompressedLayer> layers, BuildLease lease) throws IOException {
    long now = clock.millis();
    List<Digest> named = Stream.concat(blobs.stream(),
        layers.stream().map(CompressedLayer::blob)).map(Descriptor::digest).toList();
    try {
      // Committed only while every blob is stored and no collector sharing the root can delete
      // one (BlobStore#recordIfPresent).
      store.recordIfPresent(named, () -> database.transaction(connection -> {
        try (PreparedStatement upsert = connection.prepareStatement(
            "INSERT INTO build_images (root_digest, role, description, created_at, last_used)"
                + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (root_digest) DO UPDATE SET"
                + " last_used = excluded.last_used, use_count = use_count + 1")) {
          upsert.setString(1, root.toString());
          upsert.setString(2, role.column());
          upsert.setString(3, description);
          upsert.setLong(4, now);
          upsert.setLong(5, now);
          upsert.executeUpdate();
        }
        for (Descriptor blob : blobs) {
          try (PreparedStatement insert = connection.prepareStatement(
              "INSERT OR IGNORE INTO build_image_blobs (root_digest, digest, media_type, size)"
                  + " VALUES (?, ?, ?, ?)")) {
            insert.setString(1, root.toString());
            insert.setString(2, blob.digest().toString());
            insert.setString(3, blob.mediaType());
            insert.setLong(4, blob.size());
            insert.executeUpdate();
          }
        }
        for (CompressedLayer layer : layers) {
          try (PreparedStatement insert = connection.prepareStatement(
              "INSERT OR IGNORE INTO build_image_blobs"
                  + " (root_digest, digest, media_type, size, diff_id, level)"
                  + " VALUES (?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, root.toString());
            insert.setString(2, layer.blob().digest().toString());
            insert.setString(3, layer.blob().mediaType());
            insert.setLong(4, layer.blob().size());
            insert.setString(5, layer.diffId().toString());
            insert.setInt(6, layer.level());
            insert.executeUpdate();
          }
        }
        BuildLeases.hold(connection, lease, ImageRecord.leaseKey(root));
        return null;
      }));
    } catch (SQLException e) {
      throw new IOException("cannot record image " + root + " in the build database: "
          + e.getMessage(), e);
    }
  }

  /**
   * A compressed copy of the layer {@code diffId} as {@code mediaType} at {@code level} that an
   * image record names, if any. The caller checks that its blob is still stored and records an
   * image naming it before its build's lease ends, which keeps it from prune.
   */
  public Optional<CompressedLayer> compressedLayer(Digest diffId, String mediaType, int level)
      throws IOException {
    try {
      return database.read(connection -> {
        try (PreparedStatement select = connection.prepareStatement(
            "SELECT digest, size FROM build_image_blobs"
                + " WHERE diff_id = ? AND media_type = ? AND level = ? LIMIT 1")) {
          select.setString(1, diffId.toString());
          select.setString(2, mediaType);
          select.setInt(3, level);
          try (ResultSet rows = select.executeQuery()) {
            if (!rows.next()) {
              return Optional.<CompressedLayer>empty();
            }
            return Optional.of(new CompressedLayer(Descriptor.of(mediaType,
                Digest.parse(rows.getString(1)), rows.getLong(2)), diffId, level));
          }
        }
      });
    } catch (SQLException e) {
      throw new IOException("cannot look up compressed copies of layer " + diffId
          + " in the build database: " + e.getMessage(), e);
    }
  }

  /** Every image record, oldest first. */
  public List<ImageRecord> entries() throws IOException {
    try {
      return database.read(BuildImages::read);
    } catch (SQLException e) {
      throw new IOException("cannot read the image records of the build database: "
          + e.getMessage(), e);
    }
  }

  /** Every image record as {@link #entries()}, inside the caller's unit of work. */
  static List<ImageRecord> read(Connection connection) throws SQLException {
    Map<String, List<Descriptor>> blobs = new LinkedHashMap<>();
    try (PreparedStatement select = connection.prepareStatement(
        "SELECT root_digest, digest, media_type, size FROM build_image_blobs"
            + " ORDER BY root_digest, digest");
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        blobs.computeIfAbsent(rows.getString(1), k -> new ArrayList<>()).add(Descriptor.of(
            rows.getString(3), Digest.parse(rows.getString(2)), rows.getLong(4)));
      }
    }
    List<ImageRecord> records = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement(
        "SELECT root_digest, role, description, created_at, last_used, use_count"
            + " FROM build_images ORDER BY created_at, root_digest");
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        records.add(new ImageRecord(Digest.parse(rows.getString(1)),
            ImageRecord.Role.of(rows.getString(2)), rows.getString(3),
            Instant.ofEpochMilli(rows.getLong(4)), Instant.ofEpochMilli(rows.getLong(5)),
            rows.getLong(6), blobs.getOrDefault(rows.getString(1), List.of())));
      }
    }
    return records;
  }

  /**
   * Removes the record of {@code root} inside the caller's transaction unless a running build's
   * lease holds it; true when it was removed.
   */
  public static boolean removeUnheld(Connection connection, Digest root) throws SQLException {
    try (PreparedStatement delete = connection.prepareStatement(
        "DELETE FROM build_images WHERE root_digest = ? AND NOT EXISTS"
            + " (SELECT 1 FROM build_lease_records WHERE cache_key = ?)")) {
      delete.setString(1, root.toString());
      delete.setString(2, ImageRecord.leaseKey(root));
      return delete.executeUpdate() > 0;
    }
  }
}
