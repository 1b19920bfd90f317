package io.slipway.registry.meta;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.slipway.oci.Digest;
import java.nio.file.Files;
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
import javax.sql.DataSource;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * {@link RegistryMetadata} in SQL over JDBC. The SQL is portable between SQLite and PostgreSQL
 * ({@code ON CONFLICT} upserts, no vendor functions), so a PostgreSQL deployment needs only another
 * {@link DataSource}. Safe for concurrent use: each call borrows its own pooled connection and runs
 * one transaction; SQLite serializes writers ({@code BEGIN IMMEDIATE}, busy timeout) while WAL lets
 * readers proceed.
 */
public final class SqlRegistryMetadata implements RegistryMetadata {
  private final DataSource dataSource;
  private final AutoCloseable owned;

  private SqlRegistryMetadata(DataSource dataSource, AutoCloseable owned) {
    this.dataSource = dataSource;
    this.owned = owned;
  }

  /** Metadata in a database the caller owns and has already migrated (see {@link SchemaMigrations}). */
  public static SqlRegistryMetadata using(DataSource dataSource) {
    return new SqlRegistryMetadata(dataSource, () -> {});
  }

  /**
   * Opens (creating and migrating when needed) the SQLite database at {@code file} in WAL mode with
   * {@code synchronous=FULL}, so every acknowledged commit survives power loss.
   */
  public static SqlRegistryMetadata openSqlite(Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
    } catch (java.io.IOException e) {
      throw new MetadataException("cannot create " + file.getParent() + ": " + e.getMessage(), e);
    }
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    config.setBusyTimeout(30_000);
    config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    SQLiteDataSource sqlite = new SQLiteDataSource(config);
    sqlite.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
    HikariConfig pool = new HikariConfig();
    pool.setDataSource(sqlite);
    pool.setPoolName("registry-metadata");
    pool.setMaximumPoolSize(8);
    pool.setConnectionTimeout(30_000);
    HikariDataSource dataSource = new HikariDataSource(pool);
    try {
      SchemaMigrations.migrate(dataSource);
    } catch (RuntimeException e) {
      dataSource.close();
      throw e;
    }
    return new SqlRegistryMetadata(dataSource, dataSource);
  }

  @FunctionalInterface
  private interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private <T> T read(Work<T> work) {
    try (Connection connection = dataSource.getConnection()) {
      return work.run(connection);
    } catch (SQLException e) {
      throw new MetadataException("metadata read failed: " + e.getMessage(), e);
    }
  }

  private <T> T write(Work<T> work) {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        T result = work.run(connection);
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
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
                  + " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
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
      Collection<String> tags) {
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

  @Override
  public boolean deleteManifest(String repository, Digest digest) {
    return write(
        connection -> {
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
  public boolean deleteTag(String repository, String tag) {
    return write(
        connection ->
            update(
                    connection,
                    "DELETE FROM registry_tags WHERE repository = ? AND name = ?",
                    repository,
                    tag)
                > 0);
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
    try {
      owned.close();
    } catch (Exception e) {
      throw new MetadataException("cannot close the metadata database: " + e.getMessage(), e);
    }
  }
}
