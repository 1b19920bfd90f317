package io.slipway.registry.gc;

import io.slipway.oci.Digest;
import io.slipway.registry.gc.RegistryTables.Link;
import io.slipway.registry.gc.RegistryTables.Manifest;
import io.slipway.registry.gc.RegistryTables.Reference;
import io.slipway.registry.gc.RegistryTables.RepoDigest;
import io.slipway.store.blob.FileBlobStore;
import io.slipway.store.fsck.ContentIndex;
import io.slipway.store.fsck.UnnamedBlobDeleter;
import io.slipway.store.sql.Database;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's online garbage collector: mark, then sweep, while the registry serves.
 *
 * <p>Mark: every tagged manifest is a root, and so is every untagged manifest its repository's
 * {@link RetentionRule} keeps (all of them when no rule matches); the children of a kept index and
 * the referrers of a kept manifest are kept too. Every blob a kept manifest names is live, as is
 * every blob linked into a repository less than {@link GcPolicy#linkGrace()} ago (layers pushed
 * before their manifest). Sweep: untagged manifests not kept are deleted, then links past their
 * grace that no manifest of their repository uses, then blob files that nothing names any more and
 * that are older than {@link GcPolicy#unlinkedGrace()}.
 *
 * <p>The mark reads one snapshot; pushes go on meanwhile. Each deletion therefore {@linkplain
 * BlobPins#tryCondemn condemns} its digest first (skipped while a push holds it) and re-checks the
 * metadata in the transaction that deletes, so content a push pinned, or referenced after the
 * snapshot, is spared. This is the race distribution documents as unsafe (GC must run read-only
 * there); here it needs no read-only mode.
 *
 * <p>Blobs the records of other modules sharing the root name (a builder's cache and image
 * records, given as {@link ContentIndex}es by the caller that knows them) are live too, and are
 * asked again just before each blob is deleted, under the store's content exclusion ({@link
 * io.slipway.store.blob.BlobStore#deleteIf}) that the builder holds while it publishes blobs and
 * commits records, so a registry serving a builder's root never deletes what the builder relies
 * on. The registry does not depend on those modules.
 *
 * <p>Safe for concurrent use. Runs are serialised by a flag, not a lock: a call made while a
 * collection is under way fails fast with {@link GcAlreadyRunningException}.
 */
public final class GarbageCollector {
  private static final Logger LOG = LoggerFactory.getLogger(GarbageCollector.class);

  private final Database database;
  private final FileBlobStore store;
  private final BlobPins pins;
  private final GcPolicy policy;
  private final Clock clock;
  private final List<ContentIndex> others;
  private final UnnamedBlobDeleter deleter;
  private final AtomicBoolean running = new AtomicBoolean();

  /** A collector of the registry's own records only. */
  public GarbageCollector(
      Database database, FileBlobStore store, BlobPins pins, GcPolicy policy, Clock clock) {
    this(database, store, pins, policy, clock, List.of());
  }

  /**
   * A collector that also spares every blob {@code others} name: the records other modules keep
   * in the same database and store.
   */
  public GarbageCollector(Database database, FileBlobStore store, BlobPins pins, GcPolicy policy,
      Clock clock, List<ContentIndex> others) {
    this.database = database;
    this.store = store;
    this.pins = pins;
    this.policy = policy;
    this.clock = clock;
    this.others = List.copyOf(others);
    this.deleter = new UnnamedBlobDeleter(store, database, others);
  }

  /** The policy this collector applies. */
  public GcPolicy policy() {
    return policy;
  }

  /**
   * Collects once. In a dry run nothing is deleted and the report says what would be.
   *
   * @throws GcAlreadyRunningException when another collection of this collector is under way
   */
  public GcReport collect(boolean dryRun) throws SQLException, IOException {
    if (!running.compareAndSet(false, true)) {
      throw new GcAlreadyRunningException(store.root());
    }
    try {
      return run(dryRun);
    } finally {
      running.set(false);
    }
  }

  private GcReport run(boolean dryRun) throws SQLException, IOException {
    Instant started = clock.instant();
    RegistryTables tables = database.read(RegistryTables::read);

    Set<RepoDigest> keptManifests = keptManifests(tables, started);
    List<Manifest> doomed =
        tables.manifests().stream().filter(m -> !keptManifests.contains(m.key())).toList();

    Set<Digest> live = new HashSet<>();
    Set<RepoDigest> usedInRepository = new HashSet<>();
    for (Manifest manifest : tables.manifests()) {
      if (!keptManifests.contains(manifest.key())) {
        continue;
      }
      live.add(manifest.digest());
      for (Reference reference : tables.references().getOrDefault(manifest.key(), List.of())) {
        live.add(reference.digest());
        usedInRepository.add(new RepoDigest(manifest.repository(), reference.digest()));
      }
    }
    for (ContentIndex index : others) {
      live.addAll(index.referencedBlobs(database));
    }
    long linkCutoff = started.minus(policy.linkGrace()).toEpochMilli();
    List<Link> staleLinks = new ArrayList<>();
    for (Link link : tables.links()) {
      if (usedInRepository.contains(link.key()) || link.linkedAt() >= linkCutoff) {
        live.add(link.digest());
      } else {
        staleLinks.add(link);
      }
    }
    // No grace: any file qualifies, however recently written (a clock ahead of the file system's
    // would otherwise spare it).
    Instant fileCutoff =
        policy.unlinkedGrace().isZero() ? Instant.MAX : started.minus(policy.unlinkedGrace());
    List<Digest> candidates = new ArrayList<>();
    try (Stream<Digest> stored = store.list()) {
      for (Digest digest : (Iterable<Digest>) stored::iterator) {
        if (!live.contains(digest) && !pins.isPinned(digest)
            && deleter.writtenBefore(digest, fileCutoff)) {
          candidates.add(digest);
        }
      }
    }

    if (dryRun) {
      long bytes = 0;
      for (Digest digest : candidates) {
        bytes += store.size(digest).orElse(0L);
      }
      return new GcReport(
          true,
          doomed.stream().map(m -> m.key().toString()).toList(),
          staleLinks.stream().map(l -> l.key().toString()).toList(),
          candidates,
          bytes,
          0,
          Duration.between(started, clock.instant()));
    }

    int spared = 0;
    List<String> deletedManifests = new ArrayList<>();
    for (Manifest manifest : doomed) {
      if (deleteManifest(manifest)) {
        deletedManifests.add(manifest.key().toString());
      } else {
        spared++;
      }
    }
    List<String> removedLinks = new ArrayList<>();
    for (Link link : staleLinks) {
      if (removeLink(link, linkCutoff)) {
        removedLinks.add(link.key().toString());
      } else {
        spared++;
      }
    }
    List<Digest> deletedBlobs = new ArrayList<>();
    long bytes = 0;
    for (Digest digest : candidates) {
      long size = store.size(digest).orElse(0L);
      if (deleteBlob(digest, fileCutoff)) {
        deletedBlobs.add(digest);
        bytes += size;
      } else {
        spared++;
      }
    }
    GcReport report =
        new GcReport(
            false, deletedManifests, removedLinks, deletedBlobs, bytes, spared,
            Duration.between(started, clock.instant()));
    if (!deletedManifests.isEmpty() || !deletedBlobs.isEmpty() || !removedLinks.isEmpty()) {
      LOG.info("{}", report.summary());
    }
    return report;
  }

  /** Tagged manifests, untagged ones their rule keeps, and everything those reach. */
  private Set<RepoDigest> keptManifests(RegistryTables tables, Instant now) {
    Map<String, List<Manifest>> byRepository = new HashMap<>();
    for (Manifest manifest : tables.manifests()) {
      byRepository.computeIfAbsent(manifest.repository(), r -> new ArrayList<>()).add(manifest);
    }
    Set<RepoDigest> kept = new HashSet<>();
    Deque<Manifest> work = new ArrayDeque<>();
    Map<RepoDigest, List<Manifest>> referrers = new HashMap<>();
    Map<RepoDigest, Manifest> byKey = new HashMap<>();
    for (Manifest manifest : tables.manifests()) {
      byKey.put(manifest.key(), manifest);
      if (manifest.subject() != null) {
        referrers
            .computeIfAbsent(
                new RepoDigest(manifest.repository(), manifest.subject()), k -> new ArrayList<>())
            .add(manifest);
      }
    }
    for (var entry : byRepository.entrySet()) {
      var rule = policy.ruleFor(entry.getKey());
      List<Manifest> untagged = new ArrayList<>();
      for (Manifest manifest : entry.getValue()) {
        if (tables.tagged().contains(manifest.key()) || pins.isPinned(manifest.digest())) {
          work.add(manifest);
        } else {
          untagged.add(manifest);
        }
      }
      if (rule.isEmpty()) {
        work.addAll(untagged);
        continue;
      }
      untagged.sort(Comparator.comparingLong(Manifest::pushedAt).reversed());
      long youngCutoff = now.minus(rule.get().keepYounger()).toEpochMilli();
      for (int i = 0; i < untagged.size(); i++) {
        Manifest manifest = untagged.get(i);
        if (i < rule.get().keepRecent() || manifest.pushedAt() > youngCutoff) {
          work.add(manifest);
        }
      }
    }
    while (!work.isEmpty()) {
      Manifest manifest = work.poll();
      if (!kept.add(manifest.key())) {
        continue;
      }
      for (Reference reference : tables.references().getOrDefault(manifest.key(), List.of())) {
        if (reference.kind().equals("MANIFEST")) {
          Manifest child = byKey.get(new RepoDigest(manifest.repository(), reference.digest()));
          if (child != null) {
            work.add(child);
          }
        }
      }
      work.addAll(referrers.getOrDefault(manifest.key(), List.of()));
    }
    return kept;
  }

  private boolean deleteManifest(Manifest manifest) throws SQLException {
    if (!pins.tryCondemn(manifest.digest())) {
      return false;
    }
    try {
      return database.transaction(
          connection -> {
            // Re-checked under the write lock: tagged, re-pushed or made a child since the mark?
            if (RegistryTables.exists(
                    connection,
                    "SELECT 1 FROM registry_tags WHERE repository = ? AND digest = ?",
                    manifest.repository(),
                    manifest.digest())
                || RegistryTables.exists(
                    connection,
                    "SELECT 1 FROM registry_manifest_references WHERE repository = ?"
                        + " AND kind = 'MANIFEST' AND digest = ?",
                    manifest.repository(),
                    manifest.digest())) {
              return false;
            }
            int deleted =
                RegistryTables.update(
                    connection,
                    "DELETE FROM registry_manifests WHERE repository = ? AND digest = ?"
                        + " AND pushed_at = ?",
                    manifest.repository(),
                    manifest.digest(),
                    manifest.pushedAt());
            if (deleted == 0) {
              return false;
            }
            RegistryTables.update(
                connection,
                "DELETE FROM registry_manifest_references WHERE repository = ?"
                    + " AND manifest_digest = ?",
                manifest.repository(),
                manifest.digest());
            return true;
          });
    } finally {
      pins.acquit(manifest.digest());
    }
  }

  private boolean removeLink(Link link, long cutoff) throws SQLException {
    if (!pins.tryCondemn(link.digest())) {
      return false;
    }
    try {
      return database.transaction(
              connection ->
                  RegistryTables.update(
                      connection,
                      "DELETE FROM registry_blob_links WHERE repository = ? AND digest = ?"
                          + " AND linked_at < ? AND NOT EXISTS (SELECT 1 FROM"
                          + " registry_manifest_references r WHERE r.repository = ?"
                          + " AND r.digest = ?)",
                      link.repository(),
                      link.digest(),
                      cutoff,
                      link.repository(),
                      link.digest()))
          > 0;
    } finally {
      pins.acquit(link.digest());
    }
  }

  private boolean deleteBlob(Digest digest, Instant fileCutoff) throws SQLException, IOException {
    if (!pins.tryCondemn(digest)) {
      return false;
    }
    try {
      // While condemned no push of this process can reference it; the database tells whether
      // one did since the mark, the file's age whether another process just wrote it, and the
      // other modules' indexes whether a builder on this root recorded it. The deleter asks them
      // under the store's content exclusion, which that builder holds while it publishes a blob
      // or commits a record naming one.
      return deleter.deleteIfUnnamed(digest, fileCutoff, unnamed ->
          !database.read(connection -> RegistryTables.stillReferenced(connection, unnamed)));
    } finally {
      pins.acquit(digest);
    }
  }
}
