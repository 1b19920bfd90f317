package io.slipway.registry.meta;

import io.slipway.oci.Digest;
import io.slipway.store.sql.Database;
import io.slipway.store.sql.MigrationSet;
import io.slipway.store.sql.SqlWork;
import io.slipway.store.sql.SqliteDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * {@link RegistryMetadata} in SQL over the store's {@link Database}: SQLite embedded today, a
 * server database for clusters once {@code Database} has that implementation. The statements keep
 * to SQL both speak ({@code ON CONFLICT} upserts, no vendor functions). Safe for concurrent use:
 * each call is one unit of work on its own connection; writers are serialized by the database
 * while WAL lets readers proceed.
 */
public final class SqlRegistryMetadata implements RegistryMetadata {
  /** The registry's schema scripts: {@code io/slipway/registry/db/<dialect>/V<n>__*.sql}. */
  public static final MigrationSet MIGRATIONS = new MigrationSet("registry", "io/slipway/registry/db");

  private final Database database;
  private final boolean owned;

  private SqlRegistryMetadata(Database database, boolean owned) {
    this.database = database;
    this.owned = owned;
  }

  /**
   * Metadata in a database the caller opened with {@link #MIGRATIONS} among its migration sets
   * and will close.
   */
  public static SqlRegistryMetadata using(Database database) {
    return new SqlRegistryMetadata(database, false);
  }

  /**
   * Opens (creating and migrating when needed) the SQLite database at {@code file}: WAL mode with
   * {@code synchronous=FULL}, so every acknowledged commit survives power loss. Closing the
   * metadata closes the database.
   */
  public static SqlRegistryMetadata openSqlite(Path file) {
    try {
      return new SqlRegistryMetadata(SqliteDatabase.open(file, List.of(MIGRATIONS)), true);
    } catch (SQLException e) {
      throw new MetadataException("cannot open the registry database " + file + ": "
          + e.getMessage(), e);
    }
  }

  private <T> T read(SqlWork<T, RuntimeException> work) {
    try {
      return database.read(work);
    } catch (SQLException e) {
      throw new MetadataException("metadata read failed: " + e.getMessage(), e);
    }
  }

  private <T> T write(SqlWork<T, RuntimeException> work) {
    try {
      return database.transaction(work);
    } catch (SQLException e) {
      throw new MetadataException("metadata write failed: " + e.getMessage(), e);
    }
  }

  private static PreparedStatement prepare(Connection connection, String sql, Object... args)
      throws SQLException {
    PreparedStatement statement = connection.prepareStatement(sql);
    for (int i = 0; i < args.length; i++) {
      Object arg = args[i];
      if (arg instanceof Digest digest) {
        statement.setString(i + 1, digest.toString());
      } else {
        statement.setObject(i + 1, arg);
      }
    }
    return statement;
  }

  private static int update(Connection connection, String sql, Object... args) throws SQLException {
    try (PreparedStatement statement = prepare(connection, sql, args)) {
      return statement.executeUpdate();
    }
  }

  private static boolean exists(Connection connection, String sql, Object... args)
      throws SQLException {
    try (PreparedStatement statement = prepare(connection, sql, args);
        ResultSet rows = statement.executeQuery()) {
      return rows.next();
    }
  }

  private static void ensureRepository(Connection connection, String repository)
      throws SQLException {
    update(
        connection,
        "INSERT INTO registry_repositories (name, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING",
        repository,
        System.currentTimeMillis());
  }

  @Override
  public void linkBlob(String repository, Digest digest, long size) {
    write(
        connection -> {
          ensureRepository(connection, repository);
          return update(
              connection,
              "INSERT INTO registry_blob_links (repository, digest, size, linked_at)"
                  + " VALUES (?, ?, ?, ?) ON CONFLICT (repository, digest)"
                  // A blob pushed again starts its GC grace period again: the client is about
                  // to push the manifest that needs it.
                  + " DO UPDATE SET linked_at = excluded.linked_at",
              repository,
              digest,
              size,
              System.currentTimeMillis());
        });
  }

  @Override
  public Optional<Long> linkedBlobSize(String repository, Digest digest) {
    return read(
        connection -> {
          try (PreparedStatement statement =
                  prepare(
                      connection,
                      "SELECT size FROM registry_blob_links WHERE repository = ? AND digest = ?",
                      repository,
                      digest);
              ResultSet rows = statement.executeQuery()) {
            return rows.next() ? Optional.of(rows.getLong(1)) : Optional.empty();
          }
        });
  }

  @Override
  public Optional<String> repositoryLinking(Digest digest) {
    return read(
        connection -> {
          try (PreparedStatement statement =
                  prepare(
                      connection,
                      "SELECT repository FROM registry_blob_links WHERE digest = ? LIMIT 1",
                      digest);
              ResultSet rows = statement.executeQuery()) {
            return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
          }
        });
  }

  @Override
  public boolean unlinkBlob(String repository, Digest digest) {
    return write(
        connection ->
            update(
                    connection,
                    "DELETE FROM registry_blob_links WHERE repository = ? AND digest = ?",
                    repository,
                    digest)
                > 0);
  }

  @Override
  public Optional<ManifestReference> putManifest(
      String repository,
      ManifestEntry manifest,
      List<ManifestReference> references,
      Collection<String> tags,
      String actor) {
    return write(
        connection -> {
          // Checked inside the write transaction, so a concurrent delete cannot slip between the
          // check and the insert.
          for (ManifestReference reference : references) {
            String table =
                reference.kind() == ManifestReference.Kind.BLOB
                    ? "registry_blob_links"
                    : "registry_manifests";
            if (!exists(
                connection,
                "SELECT 1 FROM " + table + " WHERE repository = ? AND digest = ?",
                repository,
                reference.digest())) {
              return Optional.of(reference);
            }
          }
          ensureRepository(connection, repository);
          long now = System.currentTimeMillis();
          update(
              connection,
              "INSERT INTO registry_manifests (repository, digest, media_type, size, artifact_type,"
                  + " subject, annotations, pushed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                  + " ON CONFLICT (repository, digest) DO UPDATE SET media_type = excluded.media_type,"
                  + " pushed_at = excluded.pushed_at",
              repository,
              manifest.digest(),
              manifest.mediaType(),
              manifest.size(),
              manifest.artifactType(),
              manifest.subject() == null ? null : manifest.subject().toString(),
              manifest.annotationsJson(),
              now);
          for (ManifestReference reference : references) {
            update(
                connection,
                "INSERT INTO registry_manifest_references (repository, manifest_digest, kind, digest)"
                    + " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                repository,
                manifest.digest(),
                reference.kind().name(),
                reference.digest());
          }
          for (String tag : tags) {
            Optional<String> old = tagDigest(connection, repository, tag);
            if (!old.equals(Optional.of(manifest.digest().toString()))) {
              recordTagChange(connection, repository, tag, now, actor, old.orElse(null),
                  manifest.digest().toString());
            }
            update(
                connection,
                "INSERT INTO registry_tags (repository, name, digest, updated_at) VALUES (?, ?, ?, ?)"
                    + " ON CONFLICT (repository, name) DO UPDATE SET digest = excluded.digest,"
                    + " updated_at = excluded.updated_at",
                repository,
                tag,
                manifest.digest(),
                now);
          }
          return Optional.<ManifestReference>empty();
        });
  }

  private static final String MANIFEST_COLUMNS =
      "m.digest, m.media_type, m.size, m.artifact_type, m.subject, m.annotations";

  private static ManifestEntry manifestFrom(ResultSet rows) throws SQLException {
    String subject = rows.getString(5);
    return new ManifestEntry(
        Digest.parse(rows.getString(1)),
        rows.getString(2),
        rows.getLong(3),
        rows.getString(4),
        subject == null ? null : Digest.parse(subject),
        rows.getString(6));
  }

  private Optional<ManifestEntry> oneManifest(String sql, Object... args) {
    return read(
        connection -> {
          try (PreparedStatement statement = prepare(connection, sql, args);
              ResultSet rows = statement.executeQuery()) {
            return rows.next() ? Optional.of(manifestFrom(rows)) : Optional.empty();
          }
        });
  }

  @Override
  public Optional<ManifestEntry> manifest(String repository, Digest digest) {
    return oneManifest(
        "SELECT " + MANIFEST_COLUMNS + " FROM registry_manifests m"
            + " WHERE m.repository = ? AND m.digest = ?",
        repository,
        digest);
  }

  @Override
  public Optional<ManifestEntry> taggedManifest(String repository, String tag) {
    return oneManifest(
        "SELECT " + MANIFEST_COLUMNS + " FROM registry_tags t JOIN registry_manifests m"
            + " ON m.repository = t.repository AND m.digest = t.digest"
            + " WHERE t.repository = ? AND t.name = ?",
        repository,
        tag);
  }

  /** What {@code tag} points at now, read inside the caller's transaction. */
  private static Optional<String> tagDigest(Connection connection, String repository, String tag)
      throws SQLException {
    try (PreparedStatement statement = prepare(connection,
            "SELECT digest FROM registry_tags WHERE repository = ? AND name = ?", repository, tag);
        ResultSet rows = statement.executeQuery()) {
      return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
    }
  }

  private static void recordTagChange(Connection connection, String repository, String tag,
      long at, String actor, String oldDigest, String newDigest) throws SQLException {
    update(
        connection,
        "INSERT INTO registry_tag_history (repository, tag, changed_at, actor, old_digest, new_digest)"
            + " VALUES (?, ?, ?, ?, ?, ?)",
        repository,
        tag,
        at,
        actor,
        oldDigest,
        newDigest);
  }

  @Override
  public boolean deleteManifest(String repository, Digest digest, String actor) {
    return write(
        connection -> {
          long now = System.currentTimeMillis();
          List<String> tagged = new ArrayList<>();
          try (PreparedStatement statement = prepare(connection,
                  "SELECT name FROM registry_tags WHERE repository = ? AND digest = ? ORDER BY name",
                  repository, digest);
              ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
              tagged.add(rows.getString(1));
            }
          }
          for (String tag : tagged) {
            recordTagChange(connection, repository, tag, now, actor, digest.toString(), null);
          }
          int deleted =
              update(
                  connection,
                  "DELETE FROM registry_manifests WHERE repository = ? AND digest = ?",
                  repository,
                  digest);
          update(
              connection,
              "DELETE FROM registry_tags WHERE repository = ? AND digest = ?",
              repository,
              digest);
          update(
              connection,
              "DELETE FROM registry_manifest_references WHERE repository = ? AND manifest_digest = ?",
              repository,
              digest);
          return deleted > 0;
        });
  }

  @Override
  public boolean deleteTag(String repository, String tag, String actor) {
    return write(
        connection -> {
          Optional<String> old = tagDigest(connection, repository, tag);
          if (old.isEmpty()) {
            return false;
          }
          recordTagChange(connection, repository, tag, System.currentTimeMillis(), actor, old.get(), null);
          return update(
                  connection,
                  "DELETE FROM registry_tags WHERE repository = ? AND name = ?",
                  repository,
                  tag)
              > 0;
        });
  }

  @Override
  public List<TagEvent> tagHistory(String repository, String tag, long afterId, int limit) {
    return read(
        connection -> {
          List<TagEvent> events = new ArrayList<>();
          try (PreparedStatement statement = prepare(connection,
                  "SELECT id, changed_at, actor, old_digest, new_digest FROM registry_tag_history"
                      + " WHERE repository = ? AND tag = ? AND id > ? ORDER BY id LIMIT ?",
                  repository, tag, afterId, limit);
              ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
              String oldDigest = rows.getString(4);
              String newDigest = rows.getString(5);
              events.add(new TagEvent(rows.getLong(1), repository, tag,
                  Instant.ofEpochMilli(rows.getLong(2)), rows.getString(3),
                  oldDigest == null ? null : Digest.parse(oldDigest),
                  newDigest == null ? null : Digest.parse(newDigest)));
            }
          }
          return events;
        });
  }

  @Override
  public boolean repositoryExists(String repository) {
    return read(
        connection ->
            exists(connection, "SELECT 1 FROM registry_repositories WHERE name = ?", repository));
  }

  private List<String> strings(String sql, Object... args) {
    return read(
        connection -> {
          List<String> result = new ArrayList<>();
          try (PreparedStatement statement = prepare(connection, sql, args);
              ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
              result.add(rows.getString(1));
            }
          }
          return result;
        });
  }

  @Override
  public List<String> tags(String repository, String last, int limit) {
    return strings(
        "SELECT name FROM registry_tags WHERE repository = ? AND name > ? ORDER BY name LIMIT ?",
        repository,
        last == null ? "" : last,
        limit);
  }

  @Override
  public List<String> repositories(String last, int limit) {
    return strings(
        "SELECT name FROM registry_repositories WHERE name > ? ORDER BY name LIMIT ?",
        last == null ? "" : last,
        limit);
  }

  @Override
  public List<ManifestEntry> referrers(
      String repository, Digest subject, String artifactType, Digest last, int limit) {
    String sql =
        "SELECT " + MANIFEST_COLUMNS + " FROM registry_manifests m"
            + " WHERE m.repository = ? AND m.subject = ? AND m.digest > ?"
            + (artifactType == null ? "" : " AND m.artifact_type = ?")
            + " ORDER BY m.digest LIMIT ?";
    List<Object> args = new ArrayList<>(List.of(repository, subject, last == null ? "" : last));
    if (artifactType != null) {
      args.add(artifactType);
    }
    args.add(limit);
    return read(
        connection -> {
          List<ManifestEntry> result = new ArrayList<>();
          try (PreparedStatement statement = prepare(connection, sql, args.toArray());
              ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
              result.add(manifestFrom(rows));
            }
          }
          return result;
        });
  }

  @Override
  public void createUpload(UploadSession session) {
    write(
        connection ->
            update(
                connection,
                "INSERT INTO registry_uploads (id, repository, started_at, updated_at)"
                    + " VALUES (?, ?, ?, ?)",
                session.id(),
                session.repository(),
                session.startedAt().toEpochMilli(),
                session.updatedAt().toEpochMilli()));
  }

  private static UploadSession uploadFrom(ResultSet rows) throws SQLException {
    return new UploadSession(
        rows.getString(1),
        rows.getString(2),
        Instant.ofEpochMilli(rows.getLong(3)),
        Instant.ofEpochMilli(rows.getLong(4)));
  }

  @Override
  public Optional<UploadSession> upload(String id) {
    return read(
        connection -> {
          try (PreparedStatement statement =
                  prepare(
                      connection,
                      "SELECT id, repository, started_at, updated_at FROM registry_uploads"
                          + " WHERE id = ?",
                      id);
              ResultSet rows = statement.executeQuery()) {
            return rows.next() ? Optional.of(uploadFrom(rows)) : Optional.empty();
          }
        });
  }

  @Override
  public void touchUpload(String id, Instant when) {
    write(
        connection ->
            update(
                connection,
                "UPDATE registry_uploads SET updated_at = ? WHERE id = ?",
                when.toEpochMilli(),
                id));
  }

  @Override
  public boolean deleteUpload(String id) {
    return write(
        connection -> update(connection, "DELETE FROM registry_uploads WHERE id = ?", id) > 0);
  }

  @Override
  public List<UploadSession> uploadsIdleSince(Instant cutoff) {
    return read(
        connection -> {
          List<UploadSession> result = new ArrayList<>();
          try (PreparedStatement statement =
                  prepare(
                      connection,
                      "SELECT id, repository, started_at, updated_at FROM registry_uploads"
                          + " WHERE updated_at < ? ORDER BY updated_at",
                      cutoff.toEpochMilli());
              ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
              result.add(uploadFrom(rows));
            }
          }
          return result;
        });
  }

  @Override
  public void ping() {
    read(connection -> exists(connection, "SELECT 1"));
  }

  @Override
  public void close() {
    if (!owned) {
      return;
    }
    try {
      database.close();
    } catch (SQLException e) {
      throw new MetadataException("cannot close the metadata database: " + e.getMessage(), e);
    }
  }
}
