package io.slipway.store.fsck;

import io.slipway.oci.Digest;
import io.slipway.store.sql.Database;
import java.io.IOException;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * One module's records that point into the blob store (the registry's manifests and links, the
 * builder's cache records), as {@link Fsck} and startup recovery see them. A module implements it
 * over the tables of its own {@link io.slipway.store.sql.MigrationSet}; {@link Fsck} refuses to
 * call any blob an orphan while the database holds a migration set that no registered index
 * covers, since its records could reference anything.
 *
 * <p>Implementations must be safe for concurrent use (fsck may run while a server is running).
 */
public interface ContentIndex {

  /** The name of the {@link io.slipway.store.sql.MigrationSet} whose tables this index reads. */
  String schema();

  /** Every blob this index's records keep alive. */
  Set<Digest> referencedBlobs(Database database) throws SQLException;

  /**
   * Whether this index's records keep {@code digest} alive; a collector asks it just before
   * deleting one blob. Implementations may answer true for more than they reference (sparing a
   * blob is always safe) but never false for a referenced blob.
   */
  default boolean references(Database database, Digest digest) throws SQLException {
    return referencedBlobs(database).contains(digest);
  }

  /**
   * Records that point at content not held by the store. {@code stored} answers whether a blob
   * is present and intact (fsck has re-hashed it).
   */
  List<BrokenRecord> brokenRecords(Database database, Predicate<Digest> stored)
      throws SQLException, IOException;

  /**
   * Removes a {@linkplain BrokenRecord#repairable() repairable} record, and returns true when it
   * was removed. Must re-check in its transaction that the record is still broken.
   */
  boolean repair(Database database, BrokenRecord record, Predicate<Digest> stored)
      throws SQLException, IOException;
}
