package io.slipway.registry.gc;

import io.slipway.oci.Digest;
import io.slipway.registry.gc.RegistryTables.Link;
import io.slipway.registry.gc.RegistryTables.Manifest;
import io.slipway.registry.gc.RegistryTables.Reference;
import io.slipway.registry.gc.RegistryTables.RepoDigest;
import io.slipway.registry.meta.SqlRegistryMetadata;
import io.slipway.store.blob.BlobWriter;
import io.slipway.store.blob.FileBlobStore;
import io.slipway.store.blob.IngestInUseException;
import io.slipway.store.blob.IngestNotFoundException;
import io.slipway.store.fsck.BrokenRecord;
import io.slipway.store.fsck.ContentIndex;
import io.slipway.store.sql.Database;
import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The registry's records as fsck and startup recovery see them. Broken records it finds, and
 * whether repair may remove them:
 *
 * <ul>
 *   <li>{@code manifest}: a manifest whose own bytes are missing, or one of whose blobs is.
 *       Reported, never removed: a tag may point at it, and pushing the content again heals it.
 *   <li>{@code link}: a blob linked into a repository but not stored. Removed, so a client's HEAD
 *       answers 404 and the client pushes the blob again.
 *   <li>{@code tag}: a tag naming a manifest the repository does not hold. Removed.
 *   <li>{@code upload}: an upload session whose data is gone. Removed.
 *   <li>{@code ingest}: upload data no session refers to (the process died between the two).
 *       Removed unless a writer holds it.
 * </ul>
 *
 * <p>Safe for concurrent use: every call reads or writes in its own unit of work.
 */
public final class RegistryContentIndex implements ContentIndex {
  static final String MANIFEST = "manifest";
  static final String LINK = "link";
  static final String TAG = "tag";
  static final String UPLOAD = "upload";
  static final String INGEST = "ingest";

  private final FileBlobStore store;

  public RegistryContentIndex(FileBlobStore store) {
    this.store = store;
  }

  @Override
  public String schema() {
    return SqlRegistryMetadata.MIGRATIONS.name();
  }

  @Override
  public Set<Digest> referencedBlobs(Database database) throws SQLException {
    return database.read(RegistryTables::read).referencedBlobs();
  }

  @Override
  public List<BrokenRecord> brokenRecords(Database database, Predicate<Digest> stored)
      throws SQLException, IOException {
    RegistryTables tables = database.read(RegistryTables::read);
    List<BrokenRecord> broken = new ArrayList<>();
    Set<RepoDigest> manifests = new HashSet<>();
    for (Manifest manifest : tables.manifests()) {
      manifests.add(manifest.key());
      if (!stored.test(manifest.digest())) {
        broken.add(
            record(MANIFEST, manifest.key(), "its bytes " + manifest.digest() + " are not in the"
                + " store; push the manifest again", false));
        continue;
      }
      for (Reference reference : tables.references().getOrDefault(manifest.key(), List.of())) {
        if (reference.kind().equals("BLOB") && !stored.test(reference.digest())) {
          broken.add(
              record(MANIFEST, manifest.key(), "needs blob " + reference.digest() + ", which is"
                  + " not in the store; push it again", false));
        }
      }
    }
    for (Link link : tables.links()) {
      if (!stored.test(link.digest())) {
        broken.add(record(LINK, link.key(), "blob " + link.digest() + " is not in the store", true));
      }
    }
    List<RepoDigest> tags =
        database.read(
            connection -> {
              List<RepoDigest> result = new ArrayList<>();
              try (var statement =
                      connection.prepareStatement(
                          "SELECT t.repository, t.name, t.digest FROM registry_tags t WHERE NOT"
                              + " EXISTS (SELECT 1 FROM registry_manifests m WHERE m.repository ="
                              + " t.repository AND m.digest = t.digest)");
                  var rows = statement.executeQuery()) {
                while (rows.next()) {
                  result.add(
                      new RepoDigest(
                          rows.getString(1) + ":" + rows.getString(2),
                          Digest.parse(rows.getString(3))));
                }
              }
              return result;
            });
    for (RepoDigest tag : tags) {
      broken.add(
          new BrokenRecord(
              schema(), TAG, tag.repository(), "points at " + tag.digest() + ", which the"
                  + " repository does not hold", true));
    }
    Set<String> sessions = new HashSet<>(tables.uploads());
    for (String id : tables.uploads()) {
      if (store.ingest(id).isEmpty()) {
        broken.add(new BrokenRecord(schema(), UPLOAD, id, "its data is gone", true));
      }
    }
    // A session row is written just after its ingest is created; a young ingest without one may
    // be a POST in progress.
    java.time.Instant youngest = java.time.Instant.now().minusSeconds(60);
    for (String id : store.ingestIds()) {
      if (!sessions.contains(id)
          && store.ingest(id).map(s -> s.lastWritten().isBefore(youngest)).orElse(false)) {
        broken.add(new BrokenRecord(schema(), INGEST, id, "upload data with no session", true));
      }
    }
    return broken;
  }

  @Override
  public boolean repair(Database database, BrokenRecord record, Predicate<Digest> stored)
      throws SQLException, IOException {
    return switch (record.kind()) {
      case LINK -> {
        RepoDigest key = parse(record.key());
        yield !stored.test(key.digest())
            && database.transaction(
                    connection ->
                        RegistryTables.update(
                            connection,
                            "DELETE FROM registry_blob_links WHERE repository = ? AND digest = ?",
                            key.repository(),
                            key.digest()))
                > 0;
      }
      case TAG -> {
        int colon = record.key().lastIndexOf(':');
        String repository = record.key().substring(0, colon);
        String tag = record.key().substring(colon + 1);
        yield database.transaction(
                connection ->
                    RegistryTables.update(
                        connection,
                        "DELETE FROM registry_tags WHERE repository = ? AND name = ? AND NOT EXISTS"
                            + " (SELECT 1 FROM registry_manifests m WHERE m.repository ="
                            + " registry_tags.repository AND m.digest = registry_tags.digest)",
                        repository,
                        tag))
            > 0;
      }
      case UPLOAD ->
          store.ingest(record.key()).isEmpty()
              && database.transaction(
                      connection ->
                          RegistryTables.update(
                              connection, "DELETE FROM registry_uploads WHERE id = ?",
                              record.key()))
                  > 0;
      case INGEST -> abortIngest(database, record.key());
      default -> false;
    };
  }

  private boolean abortIngest(Database database, String id) throws SQLException, IOException {
    if (database.read(
        connection ->
            RegistryTables.exists(connection, "SELECT 1 FROM registry_uploads WHERE id = ?", id))) {
      return false;
    }
    try (BlobWriter writer = store.resumeWriter(id)) {
      writer.abort();
      return true;
    } catch (IngestNotFoundException | IngestInUseException e) {
      return false;
    }
  }

  private BrokenRecord record(String kind, RepoDigest key, String problem, boolean repairable) {
    return new BrokenRecord(schema(), kind, key.toString(), problem, repairable);
  }

  private static RepoDigest parse(String key) {
    int at = key.lastIndexOf('@');
    return new RepoDigest(key.substring(0, at), Digest.parse(key.substring(at + 1)));
  }
}
