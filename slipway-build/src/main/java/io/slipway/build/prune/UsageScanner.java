package io.slipway.build.prune;

import io.slipway.build.cache.BuildCache;
import io.slipway.build.cache.BuildLeases;
import io.slipway.build.cache.CacheEntry;
import io.slipway.build.cache.LayerRef;
import io.slipway.build.run.CacheMounts;
import io.slipway.build.snapshot.Snapshotter;
import io.slipway.oci.Digest;
import io.slipway.store.blob.BlobStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Measures a builder root: every cache record with the blobs and snapshot trees it keeps alive,
 * every cache mount directory, the metadata files, and what no record names. Reads the database
 * and walks the trees; deletes nothing (apart from leases of processes that died).
 *
 * <p>Safe for concurrent use with builds: a record written meanwhile is simply not listed.
 */
final class UsageScanner {

  private final BuilderLayout layout;
  private final BuildCache cache;
  private final BuildLeases leases;
  private final PruneLedger ledger;
  private final BlobStore blobs;

  UsageScanner(BuilderLayout layout, BuildCache cache, BuildLeases leases, PruneLedger ledger,
      BlobStore blobs) {
    this.layout = layout;
    this.cache = cache;
    this.leases = leases;
    this.ledger = ledger;
    this.blobs = blobs;
  }

  DiskUsage scan() throws IOException {
    Set<String> held = leases.heldKeys();
    boolean building = leases.anyBuildRunning();
    Map<Digest, Long> trees = trees(layout.snapshots());
    Set<Digest> reachedTrees = new HashSet<>();
    List<UsageRecord> records = new ArrayList<>();
    for (CacheEntry entry : cache.entries()) {
      LinkedHashSet<ContentItem> items = new LinkedHashSet<>();
      for (LayerRef layer : entry.record().chain()) {
        items.add(new ContentItem.Blob(layer.blob().digest(), layer.blob().size()));
      }
      entry.record().imageConfig().ifPresent(config ->
          items.add(new ContentItem.Blob(config.digest(), config.size())));
      for (Digest chainId : chainIds(entry.record().chain())) {
        Long size = trees.get(chainId);
        if (size != null) {
          items.add(new ContentItem.Tree(chainId, size));
          reachedTrees.add(chainId);
        }
      }
      String key = entry.key().encoded();
      String description = entry.description().isEmpty()
          ? "(" + entry.record().kind() + " step)" : entry.description();
      records.add(new UsageRecord(key, RecordType.ofKind(entry.record().kind()), description,
          entry.created(), entry.lastUsed(), entry.useCount(),
          held.contains(entry.key().toString()), List.copyOf(items)));
    }
    long unreferenced = 0;
    for (Map.Entry<Digest, Long> tree : trees.entrySet()) {
      if (!reachedTrees.contains(tree.getKey())) {
        unreferenced += tree.getValue();
      }
    }
    Set<String> condemnedMounts = new HashSet<>();
    for (Garbage garbage : ledger.pending()) {
      switch (garbage.kind()) {
        case BLOB -> unreferenced += blobs.size(Digest.parse(garbage.name())).orElse(0L);
        case CACHE_MOUNT -> condemnedMounts.add(garbage.name());
      }
    }
    for (CacheMounts.CacheDirectory mount : CacheMounts.list(layout.cacheMounts())) {
      long size = DirectorySize.of(mount.directory());
      if (condemnedMounts.contains(mount.name())) {
        unreferenced += size;
        continue;
      }
      String description = mount.id().isEmpty()
          ? "cache mount" : "cache mount id=" + mount.id();
      // Processes do not tell each other which cache directories they mount, so while any build
      // runs every cache directory counts as in use.
      records.add(new UsageRecord(mount.name(), RecordType.CACHE_MOUNT, description,
          mount.created(), mount.lastUsed(), mount.useCount(), building,
          List.of(new ContentItem.MountDirectory(mount.name(), size))));
    }
    long metadata = 0;
    for (Path file : layout.metadataFiles()) {
      if (Files.exists(file)) {
        metadata += Files.size(file);
      }
    }
    return new DiskUsage(records, metadata, unreferenced);
  }

  /** The chain ids of every prefix of {@code chain}: the trees a snapshot of it is built from. */
  static List<Digest> chainIds(List<LayerRef> chain) {
    List<Digest> ids = new ArrayList<>();
    for (int i = 1; i <= chain.size(); i++) {
      ids.add(Snapshotter.chainId(chain.subList(0, i)));
    }
    return ids;
  }

  /** The snapshot trees by chain id, with their sizes; in-progress {@code tmp-} trees excluded. */
  static Map<Digest, Long> trees(Path snapshots) throws IOException {
    Map<Digest, Long> result = new HashMap<>();
    for (Digest id : treeIds(snapshots)) {
      result.put(id, DirectorySize.of(snapshots.resolve(id.encoded())));
    }
    return result;
  }

  /** The chain ids that have a tree under {@code snapshots}. */
  static List<Digest> treeIds(Path snapshots) throws IOException {
    List<Digest> ids = new ArrayList<>();
    if (!Files.isDirectory(snapshots)) {
      return ids;
    }
    try (var entries = Files.list(snapshots)) {
      for (Path entry : (Iterable<Path>) entries::iterator) {
        Optional<Digest> id = treeId(entry);
        id.ifPresent(ids::add);
      }
    }
    return ids;
  }

  private static Optional<Digest> treeId(Path entry) {
    String name = entry.getFileName().toString();
    return name.matches("[0-9a-f]{64}") && Files.isDirectory(entry)
        ? Optional.of(Digest.parse("sha256:" + name)) : Optional.empty();
  }
}
