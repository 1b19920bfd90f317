package io.slipway.store.fsck;

import io.slipway.oci.Digest;
import io.slipway.store.blob.BlobStore;
import io.slipway.store.blob.FileBlobStore;
import io.slipway.store.sql.Database;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The last step of every deleter of a content root (the registry's GC, {@code fsck --repair}, the
 * builder's prune sweep): deletes a blob the caller found unnamed only if, asked again under the
 * store's content exclusion ({@link BlobStore#deleteIf}), no {@link ContentIndex} names it, the
 * caller's own check agrees, and its file was last written before a cutoff. A publish or a record
 * commit ({@link BlobStore#recordIfPresent}) of another thread or process therefore lands wholly
 * before these checks, which then spare the blob, or wholly after the delete, and puts the blob
 * back or is refused. {@code docs/durability.md} (GC beside a builder) tells the race this closes.
 *
 * <p>Safe for concurrent use: it holds only its immutable arguments, and the store's exclusion
 * orders its deletes against every writer of the root.
 */
public final class UnnamedBlobDeleter {

  /** A check the caller adds to the indexes', asked under the same exclusion. */
  @FunctionalInterface
  public interface Check {
    boolean stillUnnamed(Digest digest) throws SQLException, IOException;
  }

  private final FileBlobStore store;
  private final Database database;
  private final List<ContentIndex> indexes;

  /**
   * @param store the root's blobs
   * @param database the root's metadata, which {@code indexes} read
   * @param indexes every module whose records may name a blob of {@code store}
   */
  public UnnamedBlobDeleter(FileBlobStore store, Database database, List<ContentIndex> indexes) {
    this.store = Objects.requireNonNull(store, "store");
    this.database = Objects.requireNonNull(database, "database");
    this.indexes = List.copyOf(indexes);
  }

  /**
   * Deletes {@code digest} if, under the exclusion, no index names it, {@code check} says it is
   * still unnamed and its file was last modified before {@code writtenBefore} ({@link Instant#MAX}
   * accepts any age). A cutoff at or before the caller's scan spares a file written since, which
   * its writer may be about to name. Returns whether it was deleted.
   */
  public boolean deleteIfUnnamed(Digest digest, Instant writtenBefore, Check check)
      throws IOException, SQLException {
    return store.<SQLException>deleteIf(digest, () ->
        writtenBefore(digest, writtenBefore) && check.stillUnnamed(digest) && !named(digest));
  }

  /** Whether some index's records name {@code digest} now. */
  private boolean named(Digest digest) throws SQLException {
    for (ContentIndex index : indexes) {
      if (index.references(database, digest)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether {@code digest}'s file was last modified before {@code cutoff} (always, for {@link
   * Instant#MAX}); false when it is not stored.
   */
  public boolean writtenBefore(Digest digest, Instant cutoff) throws IOException {
    try {
      Instant modified = Files.getLastModifiedTime(store.blobPath(digest)).toInstant();
      return cutoff.equals(Instant.MAX) || modified.isBefore(cutoff);
    } catch (NoSuchFileException e) {
      return false;
    }
  }
}
