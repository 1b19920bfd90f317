package io.slipway.registry.gc;

import io.slipway.oci.Descriptor;
import io.slipway.oci.Digest;
import io.slipway.oci.ImageIndex;
import io.slipway.oci.ImageManifest;
import io.slipway.oci.Manifest;
import io.slipway.oci.ManifestBytes;
import io.slipway.oci.MediaTypes;
import io.slipway.store.blob.FileBlobStore;
import io.slipway.store.fsck.BrokenRecord;
import io.slipway.store.sql.Database;
import java.io.IOException;
import java.io.InputStream;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a registry does with its root before serving, after a crash or a copy of a live disk:
 * forget upload sessions whose data is gone and delete upload data no session names, drop links
 * and tags that point at nothing, and report loudly (never delete) manifests whose content is
 * missing. After the metadata database was set aside as corrupt, {@link #reindex} rebuilds what
 * the content store still holds. Stateless apart from its collaborators; run it once, before the
 * server accepts requests.
 */
public final class RegistryRecovery {
  private static final Logger LOG = LoggerFactory.getLogger(RegistryRecovery.class);

  /** Where {@link #reindex} puts manifests found in the store: their repositories are unknown. */
  public static final String RECOVERED_REPOSITORY = "recovered";

  /** Manifests are at most this large (the registry's default limit), so larger blobs are skipped. */
  private static final long MAX_MANIFEST = 4L * 1024 * 1024;

  /**
   * What recovery did. Immutable.
   *
   * @param repaired records removed
   * @param reported records left for a human (manifests with missing content)
   */
  public record Outcome(List<BrokenRecord> repaired, List<BrokenRecord> reported) {
    public Outcome {
      repaired = List.copyOf(repaired);
      reported = List.copyOf(reported);
    }
  }

  private final Database database;
  private final FileBlobStore store;

  public RegistryRecovery(Database database, FileBlobStore store) {
    this.database = database;
    this.store = store;
  }

  /** Reconciles the metadata with the store, logging every change and every problem left. */
  public Outcome recover() throws SQLException, IOException {
    RegistryContentIndex index = new RegistryContentIndex(store);
    Predicate<Digest> stored =
        digest -> {
          try {
            return store.exists(digest);
          } catch (IOException e) {
            return false;
          }
        };
    List<BrokenRecord> repaired = new ArrayList<>();
    List<BrokenRecord> reported = new ArrayList<>();
    for (BrokenRecord record : index.brokenRecords(database, stored)) {
      if (record.repairable() && index.repair(database, record, stored)) {
        repaired.add(record);
        LOG.warn("recovery: removed {}", record);
      } else if (!record.repairable()) {
        reported.add(record);
        LOG.error("RECOVERY: {} - content is MISSING from {}; the record is kept, run"
            + " `slipway fsck --root {}` for the full list", record, store.root(), store.root());
      }
    }
    if (!repaired.isEmpty() || !reported.isEmpty()) {
      LOG.warn("recovery of {}: {} records removed, {} manifests with missing content reported",
          store.root(), repaired.size(), reported.size());
    }
    return new Outcome(repaired, reported);
  }

  /**
   * Re-indexes every blob that parses as an image manifest or index into repository {@value
   * #RECOVERED_REPOSITORY}, by digest, with links to the blobs it names that are stored. Tags,
   * repository names and upload sessions cannot be recovered from content; returns how many
   * manifests were indexed.
   */
  public int reindex() throws SQLException, IOException {
    List<Digest> digests;
    try (Stream<Digest> all = store.list()) {
      digests = all.toList();
    }
    int indexed = 0;
    for (Digest digest : digests) {
      if (store.size(digest).orElse(MAX_MANIFEST + 1) > MAX_MANIFEST) {
        continue;
      }
      byte[] bytes;
      try (InputStream in = store.openVerified(digest)) {
        bytes = in.readAllBytes();
      } catch (IOException e) {
        LOG.warn("reindex: skipping blob {}: {}", digest, e.toString());
        continue;
      }
      if (bytes.length == 0 || bytes[0] != '{') {
        continue;
      }
      ManifestBytes parsed;
      Manifest manifest;
      try {
        parsed = ManifestBytes.detect(bytes, digest.algorithm());
        manifest = parsed.manifest();
      } catch (RuntimeException notAManifest) {
        continue;
      }
      List<Descriptor> blobs = new ArrayList<>();
      List<Descriptor> children = new ArrayList<>();
      switch (manifest) {
        case ImageManifest image -> {
          blobs.add(image.config());
          for (Descriptor layer : image.layers()) {
            if (layer.urls().isEmpty() && !MediaTypes.isNonDistributable(layer.mediaType())) {
              blobs.add(layer);
            }
          }
        }
        case ImageIndex image -> children.addAll(image.children());
        default -> {
          continue;
        }
      }
      insert(digest, parsed, manifest, blobs, children);
      indexed++;
    }
    return indexed;
  }

  private void insert(
      Digest digest,
      ManifestBytes parsed,
      Manifest manifest,
      List<Descriptor> blobs,
      List<Descriptor> children)
      throws SQLException, IOException {
    List<Descriptor> present = new ArrayList<>();
    for (Descriptor blob : blobs) {
      if (store.exists(blob.digest())) {
        present.add(blob);
      }
    }
    String annotations =
        manifest.annotations().isEmpty()
            ? ""
            : new com.fasterxml.jackson.databind.ObjectMapper()
                .valueToTree(Map.copyOf(manifest.annotations()))
                .toString();
    long now = System.currentTimeMillis();
    database.transaction(
        connection -> {
          RegistryTables.update(
              connection,
              "INSERT INTO registry_repositories (name, created_at) VALUES (?, ?)"
                  + " ON CONFLICT DO NOTHING",
              RECOVERED_REPOSITORY,
              now);
          RegistryTables.update(
              connection,
              "INSERT INTO registry_manifests (repository, digest, media_type, size,"
                  + " artifact_type, subject, annotations, pushed_at)"
                  + " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
              RECOVERED_REPOSITORY,
              digest,
              MediaTypes.essence(parsed.mediaType()),
              parsed.size(),
              manifest.referrerArtifactType().orElse(""),
              manifest.referrerSubject().map(d -> d.digest().toString()).orElse(null),
              annotations,
              now);
          for (Descriptor blob : blobs) {
            RegistryTables.update(
                connection,
                "INSERT INTO registry_manifest_references (repository, manifest_digest, kind,"
                    + " digest) VALUES (?, ?, 'BLOB', ?) ON CONFLICT DO NOTHING",
                RECOVERED_REPOSITORY,
                digest,
                blob.digest());
          }
          for (Descriptor child : children) {
            RegistryTables.update(
                connection,
                "INSERT INTO registry_manifest_references (repository, manifest_digest, kind,"
                    + " digest) VALUES (?, ?, 'MANIFEST', ?) ON CONFLICT DO NOTHING",
                RECOVERED_REPOSITORY,
                digest,
                child.digest());
          }
          for (Descriptor blob : present) {
            RegistryTables.update(
                connection,
                "INSERT INTO registry_blob_links (repository, digest, size, linked_at)"
                    + " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                RECOVERED_REPOSITORY,
                blob.digest(),
                blob.size(),
                now);
          }
          return null;
        });
  }
}
