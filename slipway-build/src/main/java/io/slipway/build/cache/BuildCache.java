package io.slipway.build.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slipway.oci.Descriptor;
import io.slipway.oci.Digest;
import io.slipway.store.blob.BlobStore;
import io.slipway.store.sql.Database;
import io.slipway.store.sql.MigrationSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The build cache's metadata: cache key to {@link CacheRecord}, in the store's SQL database beside
 * the content store. A record is written in one transaction after its blobs are durable, and a
 * lookup whose blobs have since been removed (by GC) is a miss, so a hit can always be used.
 *
 * <p>Safe for concurrent use; each call is one unit of database work and holds no lock of its own.
 */
public final class BuildCache {

  /** The schema of the build cache, applied when the database opens. */
  public static final MigrationSet MIGRATIONS = new MigrationSet("build", "io/slipway/build/db");

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Database database;
  private final BlobStore blobs;
  private final Clock clock;

  /** A cache over {@code database} (opened with {@link #MIGRATIONS}) and {@code blobs}. */
  public BuildCache(Database database, BlobStore blobs, Clock clock) {
    this.database = database;
    this.blobs = blobs;
    this.clock = clock;
  }

  /** The remembered digests of build-context files, in the same database. */
  public FileDigestCache fileDigests() {
    return new FileDigestCache(database);
  }

  /** The content store the records point into. */
  public BlobStore blobs() {
    return blobs;
  }

  /** The record for {@code key}, if there is one whose blobs are all still stored. */
  public Optional<CacheRecord> lookup(Digest key) throws IOException {
    return find(key);
  }

  /**
   * The record for {@code key} as {@link #lookup(Digest)} finds it; on a hit the record's last use
   * and use count are updated and {@code lease} holds it (so prune leaves it alone while the build
   * runs), in one transaction.
   */
  public Optional<CacheRecord> lookup(Digest key, BuildLease lease) throws IOException {
    Optional<CacheRecord> hit = find(key);
    if (hit.isPresent()) {
      long now = clock.millis();
      write(connection -> {
        try (PreparedStatement touch = connection.prepareStatement(
            "UPDATE build_cache SET last_used = ?, use_count = use_count + 1"
                + " WHERE cache_key = ?")) {
          touch.setLong(1, now);
          touch.setString(2, key.toString());
          touch.executeUpdate();
        }
        BuildLeases.hold(connection, lease, key.toString());
      });
    }
    return hit;
  }

  private Optional<CacheRecord> find(Digest key) throws IOException {
    Optional<String> json;
    try {
      json = database.read(connection -> {
        try (PreparedStatement select = connection.prepareStatement(
            "SELECT result_json FROM build_cache WHERE cache_key = ?")) {
          select.setString(1, key.toString());
          try (ResultSet rows = select.executeQuery()) {
            return rows.next() ? Optional.of(rows.getString(1)) : Optional.<String>empty();
          }
        }
      });
    } catch (SQLException e) {
      throw new IOException("cannot read the build cache: " + e.getMessage(), e);
    }
    if (json.isEmpty()) {
      return Optional.empty();
    }
    CacheRecord record = decode(json.get());
    for (LayerRef layer : record.chain()) {
      if (!blobs.exists(layer.blob().digest())) {
        return Optional.empty();
      }
    }
    if (record.imageConfig().isPresent() && !blobs.exists(record.imageConfig().get().digest())) {
      return Optional.empty();
    }
    return Optional.of(record);
  }

  /** Records {@code record} under {@code key}, replacing an older record of the same key. */
  public void record(Digest key, CacheRecord record) throws IOException {
    record(key, record, "", BuildLease.none());
  }

  /**
   * Records {@code record} under {@code key} as {@link #record(Digest, CacheRecord)} does, naming
   * the step that made it ({@code description}, shown by {@code slipway du}) and holding it in
   * {@code lease}, in one transaction.
   */
  public void record(Digest key, CacheRecord record, String description, BuildLease lease)
      throws IOException {
    recordAll(List.of(new NewRecord(key, record, description)), lease);
  }

  /**
   * Records every one of {@code records} as {@link #record(Digest, CacheRecord, String,
   * BuildLease)} does, all in one transaction: consecutive steps' records cost one commit (one
   * fsync of the log) instead of one each. Either every record is committed or none is.
   */
  public void recordAll(List<NewRecord> records, BuildLease lease) throws IOException {
    if (records.isEmpty()) {
      return;
    }
    long now = clock.millis();
    List<Digest> named = new ArrayList<>();
    List<String> json = new ArrayList<>();
    for (NewRecord entry : records) {
      json.add(encode(entry.record()));
      for (LayerRef layer : entry.record().chain()) {
        named.add(layer.blob().digest());
      }
      entry.record().imageConfig().ifPresent(config -> named.add(config.digest()));
    }
    // Committed only while every named blob is stored and no collector sharing the root (a
    // co-located registry's GC) can delete one: a record never names content deleted meanwhile.
    blobs.<Void, RuntimeException>recordIfPresent(named, () -> {
      write(connection -> {
        for (int i = 0; i < records.size(); i++) {
          NewRecord entry = records.get(i);
          upsert(connection, entry.key(), entry.record().kind(), json.get(i), now,
              entry.description(), lease);
        }
      });
      return null;
    });
  }

  /** A record to write: its cache key, what it holds, and the step that made it. */
  public record NewRecord(Digest key, CacheRecord record, String description) {
    public NewRecord {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(record, "record");
      Objects.requireNonNull(description, "description");
    }
  }

  private static void upsert(Connection connection, Digest key, String kind, String json,
      long now, String description, BuildLease lease) throws SQLException {
    try (PreparedStatement upsert = connection.prepareStatement(
        "INSERT INTO build_cache (cache_key, kind, result_json, created_at, last_used,"
            + " description) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (cache_key) DO UPDATE SET"
            + " result_json = excluded.result_json, last_used = excluded.last_used,"
            + " description = CASE WHEN excluded.description = '' THEN description"
            + " ELSE excluded.description END")) {
      upsert.setString(1, key.toString());
      upsert.setString(2, kind);
      upsert.setString(3, json);
      upsert.setLong(4, now);
      upsert.setLong(5, now);
      upsert.setString(6, description);
      upsert.executeUpdate();
    }
    BuildLeases.hold(connection, lease, key.toString());
  }

  /** Makes {@code lease} hold the record of {@code key} (one a concurrent build just wrote). */
  public void hold(Digest key, BuildLease lease) throws IOException {
    if (lease.id().isPresent()) {
      write(connection -> BuildLeases.hold(connection, lease, key.toString()));
    }
  }

  /** Every record, oldest first, with its usage; for disk usage and prune. */
  public List<CacheEntry> entries() throws IOException {
    List<Row> rows;
    try {
      rows = database.read(connection -> {
        List<Row> result = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
            "SELECT cache_key, description, created_at, last_used, use_count, result_json"
                + " FROM build_cache ORDER BY created_at, cache_key");
            ResultSet found = select.executeQuery()) {
          while (found.next()) {
            result.add(new Row(found.getString(1), found.getString(2), found.getLong(3),
                found.getLong(4), found.getLong(5), found.getString(6)));
          }
        }
        return result;
      });
    } catch (SQLException e) {
      throw new IOException("cannot read the build cache: " + e.getMessage(), e);
    }
    List<CacheEntry> entries = new ArrayList<>();
    for (Row row : rows) {
      // Decoded outside the read so no connection is held while parsing.
      entries.add(new CacheEntry(Digest.parse(row.key()), row.description(),
          Instant.ofEpochMilli(row.created()), Instant.ofEpochMilli(row.lastUsed()),
          row.useCount(), decode(row.json())));
    }
    return entries;
  }

  private record Row(String key, String description, long created, long lastUsed, long useCount,
      String json) {}

  /** A unit of work in a write transaction. */
  @FunctionalInterface
  private interface Write {
    void run(Connection connection) throws SQLException;
  }

  private void write(Write work) throws IOException {
    try {
      database.transaction(connection -> {
        work.run(connection);
        return null;
      });
    } catch (SQLException e) {
      throw new IOException("cannot write the build cache: " + e.getMessage(), e);
    }
  }

  /** How many records the cache holds. */
  public long size() throws IOException {
    try {
      return database.read(connection -> {
        try (PreparedStatement count = connection.prepareStatement(
            "SELECT COUNT(*) FROM build_cache");
            ResultSet rows = count.executeQuery()) {
          rows.next();
          return rows.getLong(1);
        }
      });
    } catch (SQLException e) {
      throw new IOException("cannot read the build cache: " + e.getMessage(), e);
    }
  }

  private static String encode(CacheRecord record) {
    ObjectNode root = JSON.createObjectNode();
    root.put("kind", record.kind());
    ArrayNode chain = root.putArray("chain");
    for (LayerRef layer : record.chain()) {
      ObjectNode entry = chain.addObject();
      entry.put("mediaType", layer.blob().mediaType());
      entry.put("digest", layer.blob().digest().toString());
      entry.put("size", layer.blob().size());
      entry.put("diffId", layer.diffId().toString());
    }
    record.imageConfig().ifPresent(config -> {
      ObjectNode entry = root.putObject("config");
      entry.put("mediaType", config.mediaType());
      entry.put("digest", config.digest().toString());
      entry.put("size", config.size());
    });
    try {
      return JSON.writeValueAsString(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads a record as {@link #record} stored it; shared with {@link BuildContentIndex}. */
  static CacheRecord decode(String json) throws IOException {
    JsonNode root = JSON.readTree(json);
    List<LayerRef> chain = new ArrayList<>();
    for (JsonNode entry : root.path("chain")) {
      chain.add(new LayerRef(
          Descriptor.of(entry.path("mediaType").asText(),
              Digest.parse(entry.path("digest").asText()),
              entry.path("size").asLong()),
          Digest.parse(entry.path("diffId").asText())));
    }
    JsonNode config = root.path("config");
    Optional<Descriptor> imageConfig = config.isObject()
        ? Optional.of(Descriptor.of(config.path("mediaType").asText(),
            Digest.parse(config.path("digest").asText()), config.path("size").asLong()))
        : Optional.empty();
    return new CacheRecord(root.path("kind").asText(), chain, imageConfig);
  }
}
