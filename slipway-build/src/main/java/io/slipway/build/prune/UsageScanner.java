package io.slipway.build.prune;

import io.slipway.build.cache.BuildCache;
import io.slipway.build.cache.BuildLeases;
import io.slipway.build.cache.BuildImages;
import io.slipway.build.cache.CacheEntry;
import io.slipway.build.cache.ImageRecord;
import io.slipway.build.cache.LayerRef;
import io.slipway.build.run.CacheMounts;
import io.slipway.build.snapshot.Snapshotter;
import io.slipway.oci.Descriptor;
import io.slipway.oci.Digest;
import io.slipway.store.blob.BlobStore;
import io.slipway.store.sql.Database;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Measures a builder root: every cache record with the blobs and snapshot trees it keeps alive,
 * every image record with its manifest, index and config blobs, every cache mount directory, the metadata files, and what no record names. Reads the database
 * and walks the trees; deletes nothing (apart from leases of processes that died).
 *
 * <p>Safe for concurrent use with builds: a record written meanwhile is simply not listed.
 */
final class UsageScanner {

  /** Where the stacked snapshotter keeps layer directories, relative to {@code snapshots/}. */
  private static final String LAYERS = "layers";
  private static final Pattern TREE = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern LAYER = Pattern.compile("[0-9a-f]{64}(\\.flat)?");


  private final BuilderLayout layout;
  private final BuildCache cache;
  private final BuildImages images;
  private final BuildLeases leases;
  private final PruneLedger ledger;
  private final BlobStore blobs;

  UsageScanner(BuilderLayout layout, BuildCache cache, Database database, BuildLeases leases,
      PruneLedger ledger, BlobStore blobs) {
    this.layout = layout;
    this.cache = cache;
    this.images = new BuildImages(database, blobs, Clock.systemUTC());
    this.leases = leases;
    this.ledger = ledger;
    this.blobs = blobs;
  }

  DiskUsage scan() throws IOException {
    Set<String> held = leases.heldKeys();
    boolean building = leases.anyBuildRunning();
    Map<String, Long> trees = trees(layout.snapshots());
    Set<String> reachedTrees = new HashSet<>();
    List<UsageRecord> records = new ArrayList<>();
    for (CacheEntry entry : cache.entries()) {
      LinkedHashSet<ContentItem> items = new LinkedHashSet<>();
      for (LayerRef layer : entry.record().chain()) {
        items.add(new ContentItem.Blob(layer.blob().digest(), layer.blob().size()));
      }
      entry.record().imageConfig().ifPresent(config ->
          items.add(new ContentItem.Blob(config.digest(), config.size())));
      for (String name : treeNames(entry.record().chain())) {
        Long size = trees.get(name);
        if (size != null) {
          items.add(new ContentItem.Tree(name, size));
          reachedTrees.add(name);
        }
      }
      String key = entry.key().encoded();
      String description = entry.description().isEmpty()
          ? "(" + entry.record().kind() + " step)" : entry.description();
      records.add(new UsageRecord(key, RecordType.ofKind(entry.record().kind()), description,
          entry.created(), entry.lastUsed(), entry.useCount(),
          held.contains(entry.key().toString()), List.copyOf(items)));
    }
    for (ImageRecord image : images.entries()) {
      List<ContentItem> items = new ArrayList<>();
      for (Descriptor blob : image.blobs()) {
        items.add(new ContentItem.Blob(blob.digest(), blob.size()));
      }
      records.add(new UsageRecord(image.root().encoded(), RecordType.IMAGE, image.description(),
          image.created(), image.lastUsed(), image.useCount(),
          held.contains(ImageRecord.leaseKey(image.root())), items));
    }
    long unreferenced = 0;
    for (Map.Entry<String, Long> tree : trees.entrySet()) {
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

  /**
   * The snapshot directories a record of {@code chain} keeps, whichever mode made them: the copied
   * tree of every prefix, and in stacked mode every layer's directory and any flattened prefix.
   */
  static Set<String> treeNames(List<LayerRef> chain) {
    Set<String> names = new LinkedHashSet<>();
    for (int i = 1; i <= chain.size(); i++) {
      String id = Snapshotter.chainId(chain.subList(0, i)).encoded();
      names.add(id);
      names.add(LAYERS + "/" + id + ".flat");
    }
    for (LayerRef layer : chain) {
      names.add(LAYERS + "/" + layer.diffId().encoded());
    }
    return names;
  }

  /** The snapshot directories under {@code snapshots} with their sizes; work in progress excluded. */
  static Map<String, Long> trees(Path snapshots) throws IOException {
    Map<String, Long> result = new HashMap<>();
    for (String name : presentTrees(snapshots)) {
      result.put(name, DirectorySize.of(snapshots.resolve(name)));
    }
    return result;
  }

  /**
   * The names of the snapshot directories under {@code snapshots}: 64-digit chain ids at the top,
   * 64-digit diff ids and {@code .flat} chain ids under {@code layers/}. Temporary and owner
   * directories, and the shared empty layer, are not content and never listed.
   */
  static List<String> presentTrees(Path snapshots) throws IOException {
    List<String> names = new ArrayList<>();
    list(snapshots, "", TREE, names);
    list(snapshots.resolve(LAYERS), LAYERS + "/", LAYER, names);
    return names;
  }

  private static void list(Path directory, String prefix, Pattern pattern,
      List<String> names) throws IOException {
    if (!Files.isDirectory(directory)) {
      return;
    }
    try (var entries = Files.list(directory)) {
      for (Path entry : (Iterable<Path>) entries::iterator) {
        String name = entry.getFileName().toString();
        if (pattern.matcher(name).matches()
            && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
          names.add(prefix + name);
        }
      }
    }
  }
}
