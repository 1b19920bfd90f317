package io.slipway.registry.gc;

import io.slipway.oci.Digest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One consistent read of the registry tables that point at content: manifests, tags, references,
 * blob links, upload sessions. Held in memory for one GC or fsck pass (a few hundred bytes per
 * row). Immutable once read; safe to share.
 */
record RegistryTables(
    List<Manifest> manifests,
    Set<RepoDigest> tagged,
    Map<RepoDigest, List<Reference>> references,
    List<Link> links,
    List<String> uploads) {

  /** A digest within one repository. */
  record RepoDigest(String repository, Digest digest) {
    @Override
    public String toString() {
      return repository + "@" + digest;
    }
  }

  /** A row of {@code registry_manifests}. */
  record Manifest(String repository, Digest digest, long pushedAt, Digest subject) {
    RepoDigest key() {
      return new RepoDigest(repository, digest);
    }
  }

  /** A row of {@code registry_manifest_references}: {@code kind} is BLOB or MANIFEST. */
  record Reference(String kind, Digest digest) {}

  /** A row of {@code registry_blob_links}. */
  record Link(String repository, Digest digest, long linkedAt) {
    RepoDigest key() {
      return new RepoDigest(repository, digest);
    }
  }

  static RegistryTables read(Connection connection) throws SQLException {
    List<Manifest> manifests = new ArrayList<>();
    try (PreparedStatement statement =
            connection.prepareStatement(
                "SELECT repository, digest, pushed_at, subject FROM registry_manifests");
        ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        String subject = rows.getString(4);
        manifests.add(
            new Manifest(
                rows.getString(1),
                Digest.parse(rows.getString(2)),
                rows.getLong(3),
                subject == null ? null : Digest.parse(subject)));
      }
    }
    Set<RepoDigest> tagged = new HashSet<>();
    try (PreparedStatement statement =
            connection.prepareStatement("SELECT DISTINCT repository, digest FROM registry_tags");
        ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        tagged.add(new RepoDigest(rows.getString(1), Digest.parse(rows.getString(2))));
      }
    }
    Map<RepoDigest, List<Reference>> references = new HashMap<>();
    try (PreparedStatement statement =
            connection.prepareStatement(
                "SELECT repository, manifest_digest, kind, digest"
                    + " FROM registry_manifest_references");
        ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        references
            .computeIfAbsent(
                new RepoDigest(rows.getString(1), Digest.parse(rows.getString(2))),
                key -> new ArrayList<>())
            .add(new Reference(rows.getString(3), Digest.parse(rows.getString(4))));
      }
    }
    List<Link> links = new ArrayList<>();
    try (PreparedStatement statement =
            connection.prepareStatement(
                "SELECT repository, digest, linked_at FROM registry_blob_links");
        ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        links.add(new Link(rows.getString(1), Digest.parse(rows.getString(2)), rows.getLong(3)));
      }
    }
    List<String> uploads = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement("SELECT id FROM registry_uploads");
        ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        uploads.add(rows.getString(1));
      }
    }
    return new RegistryTables(manifests, tagged, references, links, uploads);
  }

  /** Every blob a manifest, a reference or a link names. */
  Set<Digest> referencedBlobs() {
    Set<Digest> result = new HashSet<>();
    manifests.forEach(manifest -> result.add(manifest.digest()));
    references.values().forEach(list -> list.forEach(reference -> result.add(reference.digest())));
    links.forEach(link -> result.add(link.digest()));
    return result;
  }

  static boolean exists(Connection connection, String sql, Object... args) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        statement.setObject(i + 1, args[i] instanceof Digest d ? d.toString() : args[i]);
      }
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next();
      }
    }
  }

  static int update(Connection connection, String sql, Object... args) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        statement.setObject(i + 1, args[i] instanceof Digest d ? d.toString() : args[i]);
      }
      return statement.executeUpdate();
    }
  }

  /** True when any record anywhere still names {@code digest}. */
  static boolean stillReferenced(Connection connection, Digest digest) throws SQLException {
    return exists(connection, "SELECT 1 FROM registry_manifests WHERE digest = ?", digest)
        || exists(
            connection, "SELECT 1 FROM registry_manifest_references WHERE digest = ?", digest)
        || exists(connection, "SELECT 1 FROM registry_blob_links WHERE digest = ?", digest);
  }
}
