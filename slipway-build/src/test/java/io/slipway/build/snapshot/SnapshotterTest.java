package io.slipway.build.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.slipway.build.cache.LayerRef;
import io.slipway.oci.Descriptor;
import io.slipway.oci.DigestAlgorithm;
import io.slipway.store.blob.BlobWriter;
import io.slipway.store.blob.FileBlobStore;
import io.slipway.store.compress.Compression;
import io.slipway.store.layer.ChangeSet;
import io.slipway.store.layer.LayerDigests;
import io.slipway.store.layer.LayerWriteOptions;
import io.slipway.store.layer.LayerWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotterTest {

  @TempDir Path work;

  private FileBlobStore blobs;
  private int layers;
  private final List<Snapshotter> opened = new ArrayList<>();

  @BeforeEach
  void setUp() throws IOException {
    blobs = FileBlobStore.open(work.resolve("store"));
  }

  @AfterEach
  void tearDown() throws IOException {
    for (Snapshotter snapshotter : opened) {
      snapshotter.close();
    }
    MountTable.unmountAllUnder(work);
    blobs.close();
  }

  private Snapshotter open(String name, Snapshotter.Mode mode) throws Exception {
    Snapshotter snapshotter = Snapshotter.open(work.resolve(name), blobs, mode);
    opened.add(snapshotter);
    return snapshotter;
  }

  private static void assumeStacking() throws Exception {
    assumeTrue(Files.getAttribute(Path.of("/proc/self"), "unix:uid").equals(0),
        "stacked snapshots need root");
    Path probe = Files.createTempDirectory("slipway-probe");
    try {
      assumeTrue(OverlayMount.unusableReason(probe).isEmpty(), "overlayfs does not work here");
    } finally {
      Trees.delete(probe);
    }
  }

  /** Fills a directory for a layer. */
  @FunctionalInterface
  private interface Contents {
    void fill(Path root) throws IOException;
  }

  /** Writes a layer of the files {@code contents} makes, the deletions and opaque directories. */
  private LayerRef layer(Contents contents, Set<String> deletions, Set<String> opaque)
      throws IOException {
    Path dir = Files.createDirectories(work.resolve("layer-src-" + layers++));
    contents.fill(dir);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    LayerDigests digests = LayerWriter.write(
        new ChangeSet(dir, new TreeSet<>(deletions), new TreeSet<>(opaque)),
        LayerWriteOptions.defaults(), bytes);
    try (BlobWriter writer = blobs.newTemporaryWriter(DigestAlgorithm.SHA256)) {
      writer.write(bytes.toByteArray(), 0, bytes.size());
      writer.commit(digests.digest(), digests.size());
    }
    return new LayerRef(Descriptor.of("application/vnd.oci.image.layer.v1.tar+gzip",
        digests.digest(), digests.size()), digests.diffId());
  }

  private static void file(Path root, String path, String content) throws IOException {
    Path file = root.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }

  /** Every entry below {@code root}: type, mode, owner, size, content hash or link target. */
  private static TreeMap<String, String> listing(Path root) throws IOException {
    TreeMap<String, String> result = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.filter(p -> !p.equals(root)).toList()) {
        StringBuilder line = new StringBuilder();
        int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        line.append(Integer.toOctalString(mode)).append(' ')
            .append(Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS)).append(' ');
        if (Files.isSymbolicLink(path)) {
          line.append("-> ").append(Files.readSymbolicLink(path));
        } else if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
          line.append(HexFormat.of().formatHex(
              sha256(Files.readAllBytes(path))));
        }
        result.put(root.relativize(path).toString(), line.toString());
      }
    }
    return result;
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  /** Writes the files {@code contents} makes as a plain tar layer, as the builder stores its own. */
  private LayerRef plainLayer(Contents contents) throws IOException {
    Path dir = Files.createDirectories(work.resolve("layer-src-" + layers++));
    contents.fill(dir);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    LayerDigests digests = LayerWriter.write(ChangeSet.of(dir),
        LayerWriteOptions.defaults().withCompression(Compression.NONE, -1), bytes);
    try (BlobWriter writer = blobs.newTemporaryWriter(DigestAlgorithm.SHA256)) {
      writer.write(bytes.toByteArray(), 0, bytes.size());
      writer.commit(digests.digest(), digests.size());
    }
    return new LayerRef(Descriptor.of(Compression.NONE.layerMediaType(), digests.digest(),
        digests.size()), digests.diffId());
  }

  @Test
  void unpacksAPlainTarLayerAndRefusesOneWhoseStoredBytesChanged() throws Exception {
    LayerRef good = plainLayer(root -> file(root, "app/a.txt", "a"));
    assertThat(good.blob().digest()).isEqualTo(good.diffId());
    Snapshotter snapshots = open("copied", Snapshotter.Mode.COPIED);
    try (TreeLease tree = snapshots.tree(List.of(good))) {
      assertThat(tree.path().resolve("app/a.txt")).hasContent("a");
    }

    // The blob is not re-hashed as it is read (its digest is the diff ID the extractor checks),
    // so the diff ID check is what must catch a changed byte.
    LayerRef bad = plainLayer(root -> file(root, "app/b.txt", "b"));
    Path blob = blobs.blobPath(bad.blob().digest());
    byte[] bytes = Files.readAllBytes(blob);
    int at = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("b", 1024);
    bytes[at] = 'c';
    blob.toFile().setWritable(true);
    Files.write(blob, bytes);
    assertThatThrownBy(() -> snapshots.tree(List.of(bad)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("layer " + bad.blob().digest() + " has diff ID ");
  }

  /** Layers that delete, make opaque and re-add across each other. */
  private List<LayerRef> whiteoutChain() throws IOException {
    LayerRef base = layer(root -> {
      file(root, "a/x", "x1");
      file(root, "a/y", "y1");
      file(root, "b/z", "z1");
      file(root, "b/deep/q", "q1");
      Files.createSymbolicLink(root.resolve("link"), Path.of("a/y"));
    }, Set.of(), Set.of());
    LayerRef deletes = layer(root -> {
      Files.createDirectories(root.resolve("a"));
      file(root, "b/w", "w2");
    }, Set.of("a/x", "link"), Set.of("b"));
    LayerRef readds = layer(root -> {
      file(root, "a/x", "x3");
      file(root, "b/deep/r", "r3");
    }, Set.of("a/y"), Set.of());
    return List.of(base, deletes, readds);
  }

  @Test
  void appliesWhiteoutsAndOpaqueDirectoriesAcrossLayersWhenCopying() throws Exception {
    Snapshotter copied = open("copied", Snapshotter.Mode.COPIED);

    Path tree = copied.tree(whiteoutChain()).path();

    assertThat(listing(tree).keySet())
        .containsExactly("a", "a/x", "b", "b/deep", "b/deep/r", "b/w");
    assertThat(Files.readString(tree.resolve("a/x"))).isEqualTo("x3");
  }

  @Test
  void givesTheSameTreeStackedAsCopiedWhenLayersDeleteAndMakeOpaque() throws Exception {
    assumeStacking();
    List<LayerRef> chain = whiteoutChain();
    Snapshotter copied = open("copied", Snapshotter.Mode.COPIED);
    Snapshotter stacked = open("stacked", Snapshotter.Mode.STACKED);

    Path tree = stacked.tree(chain).path();

    assertThat(listing(tree)).isEqualTo(listing(copied.tree(chain).path()));
    assertThat(stacked.layers(chain)).hasSize(3);
    // The deletion is an overlay whiteout in its own layer's directory, not applied to the base.
    Path deletes = stacked.layers(chain).get(1);
    assertThat(Files.getAttribute(deletes.resolve("a/x"), "unix:rdev", LinkOption.NOFOLLOW_LINKS))
        .isEqualTo(0L);
    assertThat(Files.isRegularFile(stacked.layers(chain).get(2).resolve("a/x"))).isTrue();
  }

  @Test
  void remountsAViewWhoseLayerPruneRemoved() throws Exception {
    assumeStacking();
    List<LayerRef> chain = whiteoutChain();
    Snapshotter stacked = open("stacked", Snapshotter.Mode.STACKED);
    Map<String, String> expected = listing(stacked.tree(chain).path());
    // What prune does to an unreferenced layer while no build runs: rename away, then delete.
    Path bottom = stacked.layers(chain).getLast();
    Path doomed = bottom.resolveSibling("tmp-gc-test");
    Files.move(bottom, doomed);
    Trees.delete(doomed);

    Path again = stacked.tree(chain).path();

    assertThat(listing(again)).isEqualTo(expected);
    assertThat(bottom).isDirectory();
  }

  @Test
  void unmountsAndRemovesTheProbeOfAKilledProcessButNotALiveOne() throws Exception {
    assumeStacking();
    Path run = Files.createDirectories(work.resolve("run"));
    // No process has pid 2^22 + 1 (above Linux's pid_max): the prober of this one was killed.
    Path dead = Files.createDirectories(run.resolve("tmp-probe-4194305-x"));
    Path top = Files.createDirectories(dead.resolve("a"));
    Path bottom = Files.createDirectories(dead.resolve("b"));
    Files.writeString(bottom.resolve("f"), "x");
    Path merged = Files.createDirectories(dead.resolve("merged"));
    OverlayMount.mount(List.of(top, bottom), null, null, merged);
    Path live = Files.createDirectories(
        run.resolve("tmp-probe-" + ProcessHandle.current().pid() + "-y"));

    OverlayMount.sweepProbes(run);

    assertThat(dead).doesNotExist();
    assertThat(MountTable.mountPointsUnder(run)).isEmpty();
    assertThat(live).isDirectory();
  }

  @Test
  void stacksALayerOnceWhenTheChainRepeatsIt() throws Exception {
    assumeStacking();
    List<LayerRef> base = whiteoutChain();
    LayerRef adds = layer(root -> file(root, "a/y", "y4"), Set.of(), Set.of());
    // The deletions layer again on top: it removes a/x, which the layer below re-added.
    List<LayerRef> chain = List.of(base.get(0), base.get(1), base.get(2), adds, base.get(1),
        adds);
    Snapshotter copied = open("copied", Snapshotter.Mode.COPIED);
    Snapshotter stacked = open("stacked", Snapshotter.Mode.STACKED);

    List<Path> stack = stacked.layers(chain);

    assertThat(stack).doesNotHaveDuplicates().hasSize(4);
    assertThat(listing(stacked.tree(chain).path())).isEqualTo(listing(copied.tree(chain).path()));
    assertThat(stacked.tree(chain).path().resolve("a/x")).doesNotExist();
  }

  @Test
  void unpacksEachLayerOnceWhenChainsShareIt() throws Exception {
    assumeStacking();
    List<LayerRef> chain = whiteoutChain();
    Snapshotter stacked = open("stacked", Snapshotter.Mode.STACKED);

    List<Path> full = stacked.layers(chain);
    List<Path> prefix = stacked.layers(chain.subList(0, 2));

    assertThat(prefix).isEqualTo(full.subList(1, 3));
    try (Stream<Path> dirs = Files.list(work.resolve("stacked/layers"))) {
      assertThat(dirs.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("empty", chain.get(0).diffId().encoded(),
              chain.get(1).diffId().encoded(), chain.get(2).diffId().encoded());
    }
  }

  @Test
  void flattensTheBottomOfDeepChainsAndKeepsTheirContents() throws Exception {
    assumeStacking();
    List<LayerRef> chain = new ArrayList<>();
    int depth = Snapshotter.MAX_STACK + Snapshotter.FLATTEN_STEP + 5;
    for (int i = 0; i < depth; i++) {
      int n = i;
      // Each layer adds a file and deletes the one two layers down, so every layer matters.
      chain.add(layer(root -> file(root, "f/" + n, "content " + n),
          n >= 2 ? Set.of("f/" + (n - 2)) : Set.of(), Set.of()));
    }
    Snapshotter copied = open("copied", Snapshotter.Mode.COPIED);
    Snapshotter stacked = open("stacked", Snapshotter.Mode.STACKED);

    List<Path> stack = stacked.layers(chain);

    assertThat(stack.size()).isLessThanOrEqualTo(Snapshotter.MAX_STACK);
    assertThat(stack.getLast().getFileName().toString()).endsWith(".flat");
    assertThat(OverlayMount.optionsLength(stack, work.resolve("u"), work.resolve("w")))
        .isLessThan(OverlayMount.MAX_OPTIONS);
    assertThat(listing(stacked.tree(chain).path())).isEqualTo(listing(copied.tree(chain).path()));
    assertThat(listing(stacked.tree(chain).path()).keySet())
        .containsExactly("f", "f/" + (depth - 2), "f/" + (depth - 1));
  }

  @Test
  void removesMountsAndScratchSpaceACrashedProcessLeftWhenOpening() throws Exception {
    assumeStacking();
    Path root = work.resolve("stacked");
    Snapshotter first = open("stacked", Snapshotter.Mode.STACKED);
    List<LayerRef> chain = whiteoutChain();
    Path view = first.tree(chain).path();
    Path layer = first.layers(chain).getFirst();
    // What a killed process leaves: its view mounted, its scratch space, its lock released.
    Path crashed = root.resolve("owners").resolve("crashed");
    Path leftoverView = Files.createDirectories(crashed.resolve("views").resolve("x"));
    OverlayMount.mount(first.layers(chain), null, null, leftoverView);
    Files.writeString(Files.createDirectories(crashed.resolve("tmp-1")).resolve("half"), "h");
    // Created, never locked: nobody owns it.
    FileChannel.open(crashed.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)
        .close();

    open("stacked", Snapshotter.Mode.STACKED);

    assertThat(MountTable.mountPointsUnder(crashed)).isEmpty();
    assertThat(crashed).doesNotExist();
    // The live snapshotter's view and the shared layers are untouched.
    assertThat(MountTable.mountPointsUnder(view)).containsExactly(view);
    assertThat(Files.readString(view.resolve("a/x"))).isEqualTo("x3");
    assertThat(layer).isDirectory();
  }

  @Test
  void unmountsItsViewsWhenClosed() throws Exception {
    assumeStacking();
    Snapshotter stacked = Snapshotter.open(work.resolve("stacked"), blobs,
        Snapshotter.Mode.STACKED);
    Path view = stacked.tree(whiteoutChain()).path();

    stacked.close();
    stacked.close();

    assertThat(MountTable.mountPointsUnder(work)).isEmpty();
    assertThat(view).doesNotExist();
  }

  /** {@code count} chains over one base layer, each with its own top layer holding "top". */
  private List<List<LayerRef>> distinctChains(int count) throws IOException {
    LayerRef base = layer(root -> file(root, "base", "b"), Set.of(), Set.of());
    List<List<LayerRef>> chains = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String content = "top " + i;
      chains.add(List.of(base, layer(root -> file(root, "top", content), Set.of(), Set.of())));
    }
    return chains;
  }

  @Test
  void keepsOnlyABoundedNumberOfUnusedViewsMounted() throws Exception {
    assumeStacking();
    Snapshotter stacked = open("stacked", Snapshotter.Mode.STACKED);
    List<List<LayerRef>> chains = distinctChains(OverlayViews.MAX_IDLE + 5);

    for (int i = 0; i < chains.size(); i++) {
      try (TreeLease tree = stacked.tree(chains.get(i))) {
        assertThat(tree.path().resolve("top")).hasContent("top " + i);
      }
    }

    assertThat(stacked.mountedViews()).isEqualTo(OverlayViews.MAX_IDLE);
    assertThat(MountTable.mountPointsUnder(work.resolve("stacked")))
        .hasSize(OverlayViews.MAX_IDLE);
  }

  @Test
  void keepsALeasedViewMountedWhileUnusedOnesComeAndGo() throws Exception {
    assumeStacking();
    Snapshotter stacked = open("stacked", Snapshotter.Mode.STACKED);
    List<List<LayerRef>> chains = distinctChains(OverlayViews.MAX_IDLE + 5);
    TreeLease held = stacked.tree(chains.getFirst());

    for (List<LayerRef> chain : chains.subList(1, chains.size())) {
      stacked.tree(chain).close();
    }

    assertThat(MountTable.mountPointsUnder(held.path())).containsExactly(held.path());
    assertThat(held.path().resolve("top")).hasContent("top 0");
    // A second reader of the held chain shares its mount.
    try (TreeLease again = stacked.tree(chains.getFirst())) {
      assertThat(again.path()).isEqualTo(held.path());
    }
    held.close();
    held.close();
    // Released, it is the newest idle view: the oldest idle one made room for it.
    assertThat(stacked.mountedViews()).isEqualTo(OverlayViews.MAX_IDLE);
    assertThat(MountTable.mountPointsUnder(held.path())).containsExactly(held.path());
  }

  @Test
  void reusesAnIdleViewForTheNextReaderOfItsChain() throws Exception {
    assumeStacking();
    Snapshotter stacked = open("stacked", Snapshotter.Mode.STACKED);
    List<LayerRef> chain = whiteoutChain();
    Path first;
    try (TreeLease tree = stacked.tree(chain)) {
      first = tree.path();
    }

    try (TreeLease tree = stacked.tree(chain)) {
      assertThat(tree.path()).isEqualTo(first);
      assertThat(tree.path().resolve("a/x")).hasContent("x3");
    }
    assertThat(MountTable.mountPointsUnder(work.resolve("stacked"))).containsExactly(first);
  }

  @Test
  void unmountsAStaleViewWhenItsLastReaderLeaves() throws Exception {
    assumeStacking();
    Snapshotter stacked = open("stacked", Snapshotter.Mode.STACKED);
    List<LayerRef> chain = whiteoutChain();
    TreeLease old = stacked.tree(chain);
    // Prune removes the bottom layer while the old view is still read.
    Path bottom = stacked.layers(chain).getLast();
    Path doomed = bottom.resolveSibling("tmp-gc-test");
    Files.move(bottom, doomed);
    Trees.delete(doomed);

    try (TreeLease fresh = stacked.tree(chain)) {
      assertThat(fresh.path()).isNotEqualTo(old.path());
      assertThat(fresh.path().resolve("a/x")).hasContent("x3");
      assertThat(MountTable.mountPointsUnder(old.path())).containsExactly(old.path());
      old.close();
      assertThat(MountTable.mountPointsUnder(old.path())).isEmpty();
      assertThat(old.path()).doesNotExist();
    }
  }

  @Test
  void concurrentReadersSeeTheirChainAndLeaveAtMostTheIdleBoundMounted() throws Exception {
    assumeStacking();
    Snapshotter stacked = open("stacked", Snapshotter.Mode.STACKED);
    List<List<LayerRef>> chains = distinctChains(OverlayViews.MAX_IDLE + 8);
    int threads = 6;
    int rounds = 40;
    List<Future<Integer>> readers = new ArrayList<>();
    try (var pool = Executors.newFixedThreadPool(threads)) {
      for (int t = 0; t < threads; t++) {
        int seed = t;
        readers.add(pool.submit(() -> {
          Random random = new Random(seed);
          int reads = 0;
          for (int r = 0; r < rounds; r++) {
            int i = random.nextInt(chains.size());
            try (TreeLease tree = stacked.tree(chains.get(i))) {
              assertThat(tree.path().resolve("top")).hasContent("top " + i);
              reads++;
            }
          }
          return reads;
        }));
      }
      for (var reader : readers) {
        assertThat(reader.get(2, TimeUnit.MINUTES)).isEqualTo(rounds);
      }
    }

    assertThat(stacked.mountedViews()).isLessThanOrEqualTo(OverlayViews.MAX_IDLE);
    assertThat(MountTable.mountPointsUnder(work.resolve("stacked")))
        .hasSize(stacked.mountedViews());
  }
}
