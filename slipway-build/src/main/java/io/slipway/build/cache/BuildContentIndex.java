package io.slipway.build.cache;

import io.slipway.oci.Descriptor;
import io.slipway.oci.Digest;
import io.slipway.store.fsck.BrokenRecord;
import io.slipway.store.fsck.ContentIndex;
import io.slipway.store.sql.Database;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The builder's records as fsck, builder startup recovery and a co-located registry's GC see them:
 * every blob a {@link CacheRecord} names (its layer chain and, for a base image, its config) and
 * every blob an {@link ImageRecord} names (the manifests, indexes and configs of built and base
 * images, and the compressed layers of images that left the builder, {@link BuildImages}) is
 * referenced. A record is broken when one of those blobs is missing
 * or corrupt, or when its stored JSON cannot be read; every broken record is repairable, because
 * dropping it only turns a cache hit into a miss, or forgets an image the next build that needs it
 * writes again.
 *
 * <p>On a database without the builder's tables (a registry root) it references nothing and finds
 * nothing broken, so a registry may always consult it.
 *
 * <p>Safe for concurrent use: every call reads or writes in its own unit of work.
 */
public final class BuildContentIndex implements ContentIndex {

  /** The {@link BrokenRecord#kind()} of a broken cache record. */
  public static final String CACHE_RECORD = "cache record";

  /** The {@link BrokenRecord#kind()} of a broken image record. */
  public static final String IMAGE_RECORD = "image record";

  @Override
  public String schema() {
    return BuildCache.MIGRATIONS.name();
  }

  @Override
  public Set<Digest> referencedBlobs(Database database) throws SQLException {
    Set<Digest> referenced = new HashSet<>();
    if (!hasTable(database, "build_cache")) {
      return referenced;
    }
    for (String json : rows(database).values()) {
      Optional<CacheRecord> record = parse(json);
      record.ifPresent(r -> referenced.addAll(blobsOf(r)));
    }
    for (ImageRecord image : images(database)) {
      for (Descriptor blob : image.blobs()) {
        referenced.add(blob.digest());
      }
    }
    return referenced;
  }

  @Override
  public boolean references(Database database, Digest digest) throws SQLException {
    if (!hasTable(database, "build_cache")) {
      return false;
    }
    boolean withImages = hasTable(database, "build_images");
    return database.read(connection -> {
      if (withImages) {
        try (PreparedStatement images = connection.prepareStatement(
            "SELECT 1 FROM build_image_blobs WHERE digest = ?")) {
          images.setString(1, digest.toString());
          try (ResultSet image = images.executeQuery()) {
            if (image.next()) {
              return true;
            }
          }
        }
      }
      // A cache record stores its digests in its JSON: a substring match can only over-report,
      // which spares a blob, never deletes one.
      try (PreparedStatement cache = connection.prepareStatement(
          "SELECT 1 FROM build_cache WHERE instr(result_json, ?) > 0")) {
        cache.setString(1, digest.toString());
        try (ResultSet record = cache.executeQuery()) {
          return record.next();
        }
      }
    });
  }

  @Override
  public List<BrokenRecord> brokenRecords(Database database, Predicate<Digest> stored)
      throws SQLException {
    List<BrokenRecord> broken = new ArrayList<>();
    if (!hasTable(database, "build_cache")) {
      return broken;
    }
    for (Map.Entry<String, String> row : rows(database).entrySet()) {
      problem(row.getValue(), stored).ifPresent(problem ->
          broken.add(new BrokenRecord(schema(), CACHE_RECORD, row.getKey(), problem, true)));
    }
    if (!hasTable(database, "build_images") || allImageBlobsStored(database, stored)) {
      return broken;
    }
    for (ImageRecord image : images(database)) {
      imageProblem(image, stored).ifPresent(problem -> broken.add(
          new BrokenRecord(schema(), IMAGE_RECORD, image.root().toString(), problem, true)));
    }
    return broken;
  }

  /**
   * True when every blob an image record names is stored, so no image record is broken. Asked
   * before the records are read: every build adds image records, and builder startup reading and
   * parsing all of them (hundreds) to find nothing broken was a visible part of a no-change
   * rebuild. Each distinct digest is parsed and tested once; root digests are parsed too, so a
   * record that could not be read fails here as it would when read.
   */
  private static boolean allImageBlobsStored(Database database, Predicate<Digest> stored)
      throws SQLException {
    List<List<String>> digests = database.read(connection -> List.of(
        distinct(connection, "SELECT DISTINCT digest FROM build_image_blobs"),
        distinct(connection, "SELECT DISTINCT root_digest FROM build_images")));
    digests.get(1).forEach(Digest::parse);
    for (String blob : digests.get(0)) {
      if (!stored.test(Digest.parse(blob))) {
        return false;
      }
    }
    return true;
  }

  private static List<String> distinct(Connection connection, String query) throws SQLException {
    List<String> values = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement(query);
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        values.add(rows.getString(1));
      }
    }
    return values;
  }

  @Override
  public boolean repair(Database database, BrokenRecord record, Predicate<Digest> stored)
      throws SQLException {
    if (record.kind().equals(IMAGE_RECORD)) {
      return repairImage(database, Digest.parse(record.key()), stored);
    }
    if (!record.kind().equals(CACHE_RECORD)) {
      return false;
    }
    // Re-checked in the write transaction: a build may have replaced the record with a good one
    // since it was found broken.
    return database.transaction(connection -> {
      Optional<String> json = row(connection, record.key());
      if (json.isEmpty() || problem(json.get(), stored).isEmpty()) {
        return false;
      }
      try (PreparedStatement delete = connection.prepareStatement(
          "DELETE FROM build_cache WHERE cache_key = ?")) {
        delete.setString(1, record.key());
        return delete.executeUpdate() > 0;
      }
    });
  }

  private static boolean repairImage(Database database, Digest root, Predicate<Digest> stored)
      throws SQLException {
    // Re-checked in the write transaction: a build may have written the missing blob again.
    return database.transaction(connection -> {
      for (ImageRecord image : BuildImages.read(connection)) {
        if (image.root().equals(root) && imageProblem(image, stored).isPresent()) {
          try (PreparedStatement delete = connection.prepareStatement(
              "DELETE FROM build_images WHERE root_digest = ?")) {
            delete.setString(1, root.toString());
            return delete.executeUpdate() > 0;
          }
        }
      }
      return false;
    });
  }

  private static Optional<String> imageProblem(ImageRecord image, Predicate<Digest> stored) {
    for (Descriptor blob : image.blobs()) {
      if (!stored.test(blob.digest())) {
        return Optional.of(blob.mediaType() + " " + blob.digest() + " is not in the store");
      }
    }
    return Optional.empty();
  }

  /** The image records, none when the database predates them (a registry opened it unmigrated). */
  private static List<ImageRecord> images(Database database) throws SQLException {
    return hasTable(database, "build_images") ? database.read(BuildImages::read) : List.of();
  }

  /**
   * Whether {@code database} holds {@code table}: a registry's GC asks this index about its root
   * whether or not a builder has used it, and without migrating the builder's schema.
   */
  private static boolean hasTable(Database database, String table) throws SQLException {
    return database.read(connection -> {
      try (ResultSet tables = connection.getMetaData().getTables(null, null, table, null)) {
        return tables.next();
      }
    });
  }

  /** What is wrong with the record stored as {@code json}, if anything. */
  private static Optional<String> problem(String json, Predicate<Digest> stored) {
    Optional<CacheRecord> record = parse(json);
    if (record.isEmpty()) {
      return Optional.of("its stored record cannot be read");
    }
    for (LayerRef layer : record.get().chain()) {
      if (!stored.test(layer.blob().digest())) {
        return Optional.of("layer " + layer.blob().digest() + " is not in the store");
      }
    }
    Optional<Descriptor> config = record.get().imageConfig();
    if (config.isPresent() && !stored.test(config.get().digest())) {
      return Optional.of("image config " + config.get().digest() + " is not in the store");
    }
    return Optional.empty();
  }

  private static Set<Digest> blobsOf(CacheRecord record) {
    Set<Digest> blobs = new HashSet<>();
    for (LayerRef layer : record.chain()) {
      blobs.add(layer.blob().digest());
    }
    record.imageConfig().ifPresent(config -> blobs.add(config.digest()));
    return blobs;
  }

  private static Optional<CacheRecord> parse(String json) {
    try {
      return Optional.of(BuildCache.decode(json));
    } catch (IOException | RuntimeException unreadable) {
      return Optional.empty();
    }
  }

  private static Map<String, String> rows(Database database) throws SQLException {
    return database.read(connection -> {
      Map<String, String> result = new LinkedHashMap<>();
      try (PreparedStatement select = connection.prepareStatement(
              "SELECT cache_key, result_json FROM build_cache ORDER BY cache_key");
          ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          result.put(rows.getString(1), rows.getString(2));
        }
      }
      return result;
    });
  }

  private static Optional<String> row(Connection connection, String key) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(
        "SELECT result_json FROM build_cache WHERE cache_key = ?")) {
      select.setString(1, key);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
      }
    }
  }
}
