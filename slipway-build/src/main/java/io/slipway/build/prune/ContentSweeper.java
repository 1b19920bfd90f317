package io.slipway.build.prune;

import io.slipway.build.cache.BuildCache;
import io.slipway.build.cache.BuildContentIndex;
import io.slipway.build.cache.BuildLease;
import io.slipway.build.cache.BuildLeases;
import io.slipway.build.cache.BuildImages;
import io.slipway.build.cache.CacheEntry;
import io.slipway.build.cache.ImageRecord;
import io.slipway.build.cache.LayerRef;
import io.slipway.build.run.CacheMounts;
import io.slipway.build.snapshot.Trees;
import io.slipway.oci.Descriptor;
import io.slipway.oci.Digest;
import io.slipway.store.blob.FileBlobStore;
import io.slipway.store.fsck.ContentIndex;
import io.slipway.store.fsck.UnnamedBlobDeleter;
import io.slipway.store.sql.Database;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Deletes content no record names: condemned blobs and cache directories (listed by {@link
 * PruneLedger#condemn}) and snapshot trees no record's chain reaches. It works only under a sweep
 * claim ({@link BuildLeases#tryClaimSweep}), which exists only while no build runs on the root in
 * any process, and re-checks each item against the records as they are then, so nothing a record
 * or a build uses is deleted. The claim is given up every {@link #SLICE_MILLIS} so a build that
 * wants to start waits at most that long plus one deletion; if a build got in, the rest waits for
 * the next sweep.
 *
 * <p>Blobs another module's records name (a registry sharing the root, given as {@link
 * ContentIndex}es) are never deleted: each blob's last check, against every index, runs under the
 * store's content exclusion with its delete ({@link UnnamedBlobDeleter}), as the registry's GC
 * does, so a record committed in another process lands before the check or is refused after.
 * Not for concurrent use by itself; concurrent sweeps in several threads or processes exclude
 * each other through the claim.
 */
final class ContentSweeper {

  static final long SLICE_MILLIS = 500;

  private final BuilderLayout layout;
  private final BuildCache cache;
  private final BuildImages images;
  private final BuildLeases leases;
  private final PruneLedger ledger;
  private final FileBlobStore blobs;
  private final Database database;
  private final List<ContentIndex> others;
  private final UnnamedBlobDeleter deleter;

  ContentSweeper(BuilderLayout layout, BuildCache cache, BuildLeases leases, PruneLedger ledger,
      FileBlobStore blobs, Database database, List<ContentIndex> others) {
    this.layout = layout;
    this.cache = cache;
    this.images = new BuildImages(database, blobs, Clock.systemUTC());
    this.leases = leases;
    this.ledger = ledger;
    this.blobs = blobs;
    this.database = database;
    this.others = List.copyOf(others);
    List<ContentIndex> every = new ArrayList<>();
    every.add(new BuildContentIndex());
    every.addAll(others);
    this.deleter = new UnnamedBlobDeleter(blobs, database, every);
  }

  SweepResult sweep() throws IOException {
    int blobCount = 0;
    int treeCount = 0;
    int mountCount = 0;
    long bytes = 0;
    List<Garbage> pending = ledger.pending();
    List<String> trees = UsageScanner.presentTrees(layout.snapshots());
    int next = 0;
    int nextTree = 0;
    while (next < pending.size() || nextTree < trees.size()) {
      Optional<BuildLease> claim = leases.tryClaimSweep();
      if (claim.isEmpty()) {
        return new SweepResult(blobCount, treeCount, mountCount, bytes, true,
            pending.size() - next);
      }
      try {
        // The builder's records do not change while the claim is held: builds write them (cache
        // and image records alike) and wait for it. Another module's may, and anything outside a
        // build lease may record, so each blob is asked again under the content exclusion below.
        Set<Digest> namedBlobs = new HashSet<>();
        Set<String> reachedTrees = new HashSet<>();
        for (CacheEntry entry : cache.entries()) {
          for (LayerRef layer : entry.record().chain()) {
            namedBlobs.add(layer.blob().digest());
          }
          entry.record().imageConfig().ifPresent(config -> namedBlobs.add(config.digest()));
          reachedTrees.addAll(UsageScanner.treeNames(entry.record().chain()));
        }
        for (ImageRecord image : images.entries()) {
          for (Descriptor blob : image.blobs()) {
            namedBlobs.add(blob.digest());
          }
        }
        for (ContentIndex index : others) {
          try {
            namedBlobs.addAll(index.referencedBlobs(database));
          } catch (SQLException e) {
            throw new IOException("cannot read the blobs " + index.schema() + " names: "
                + e.getMessage(), e);
          }
        }
        long sliceEnd = System.nanoTime() + SLICE_MILLIS * 1_000_000;
        // At least one item per claim, so slow record reading cannot stall the sweep.
        int inSlice = 0;
        while (next < pending.size() && (inSlice++ == 0 || System.nanoTime() < sliceEnd)) {
          Garbage garbage = pending.get(next++);
          switch (garbage.kind()) {
            case BLOB -> {
              Digest digest = Digest.parse(garbage.name());
              if (!namedBlobs.contains(digest)) {
                long size = blobs.size(digest).orElse(0L);
                // Asked again under the store's content exclusion: a registry on this root, or
                // any recorder outside a build lease, may have named it since the slice began;
                // and a file written since it was condemned may be about to be named by its
                // writer (a registry's push links a blob after writing it).
                if (deleteUnnamed(digest, garbage.condemnedAt())) {
                  blobCount++;
                  bytes += size;
                }
              }
            }
            case CACHE_MOUNT -> {
              long size = mountToDelete(garbage);
              if (size >= 0 && CacheMounts.delete(layout.cacheMounts(), garbage.name())) {
                mountCount++;
                bytes += size;
              }
            }
          }
          ledger.forget(garbage);
        }
        while (next >= pending.size() && nextTree < trees.size()
            && (inSlice++ == 0 || System.nanoTime() < sliceEnd)) {
          String name = trees.get(nextTree++);
          if (!reachedTrees.contains(name)) {
            long size = deleteTree(name);
            if (size >= 0) {
              treeCount++;
              bytes += size;
            }
          }
        }
      } finally {
        claim.get().close();
      }
    }
    return new SweepResult(blobCount, treeCount, mountCount, bytes, false, 0);
  }

  private boolean deleteUnnamed(Digest digest, Instant writtenBefore) throws IOException {
    try {
      return deleter.deleteIfUnnamed(digest, writtenBefore, unnamed -> true);
    } catch (SQLException e) {
      throw new IOException("cannot check whether " + digest + " is still unnamed: "
          + e.getMessage(), e);
    }
  }

  /**
   * The size of the condemned cache directory, or -1 when it is gone or was used after it was
   * condemned (a build wanted it after all, so it stays).
   */
  private long mountToDelete(Garbage garbage) throws IOException {
    for (CacheMounts.CacheDirectory mount : CacheMounts.list(layout.cacheMounts())) {
      if (mount.name().equals(garbage.name())) {
        return mount.lastUsed().isAfter(garbage.condemnedAt())
            ? -1 : DirectorySize.of(mount.directory());
      }
    }
    return -1;
  }

  /**
   * Deletes the snapshot directory {@code name}: renamed first to a {@code tmp-} name in the same
   * directory, which the snapshotter never serves and removes on open, so a crash mid-delete
   * leaves no half tree under its name. Returns its size, or -1 when it was gone.
   */
  private long deleteTree(String name) throws IOException {
    Path tree = layout.snapshots().resolve(name);
    long size = DirectorySize.of(tree);
    Path doomed = tree.resolveSibling("tmp-gc-" + UUID.randomUUID());
    try {
      Files.move(tree, doomed, StandardCopyOption.ATOMIC_MOVE);
    } catch (NoSuchFileException e) {
      return -1;
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("cannot rename " + tree + " within its directory: " + e.getMessage(),
          e);
    }
    Trees.delete(doomed);
    return size;
  }
}
