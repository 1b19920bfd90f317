package io.slipway.build.snapshot;

import io.slipway.build.cache.LayerRef;
import io.slipway.client.concurrent.SingleFlight;
import io.slipway.oci.Digest;
import io.slipway.store.blob.BlobStore;
import io.slipway.store.layer.ExtractOptions;
import io.slipway.store.layer.LayerException;
import io.slipway.store.layer.LayerExtractor;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Turns a chain of layers into file system trees that builds read and RUN steps run on, in one of
 * two {@link Mode}s.
 *
 * <p>{@link Mode#STACKED} (root, overlayfs works): each layer is unpacked once per diff ID into
 * its own directory {@code layers/<diff id>} in overlayfs format (an OCI whiteout becomes a
 * character device 0/0, an opaque marker the {@code trusted.overlay.opaque} attribute), and a
 * chain is the stack of its layers' directories ({@link #layers}). Chains deeper than
 * {@link #MAX_STACK} have their bottom part flattened into one complete tree,
 * {@code layers/<chain id>.flat}, in steps of {@link #FLATTEN_STEP} layers so that a long RUN
 * chain copies the file system once per step, not once per layer. A complete readable tree
 * ({@link #tree}) is a read-only overlay mount of the stack, held by its readers' leases and kept
 * for reuse while idle only up to a bound ({@link OverlayViews}), so a long-lived engine does not
 * pile up mounts.
 *
 * <p>{@link Mode#COPIED} (otherwise): the tree of a chain is the tree of the chain without its
 * last layer, copied, with the last layer applied by the store's safe {@link LayerExtractor};
 * trees live in {@code <chain id>/}.
 *
 * <p>Crash safety: everything is built in a temporary directory and renamed into place. Each
 * process works in its own {@code owners/<id>/} directory (temporary directories, view mounts),
 * holding a lock on {@code owners/<id>/lock} while it lives; {@link #open} unmounts and removes
 * the directories of owners whose lock nobody holds, which is what a crash leaves.
 *
 * <p>Safe for concurrent use: concurrent requests for one layer, flattened prefix, tree or view
 * share one piece of work (single-flight per key); no lock is held while extracting. Callers must
 * not write into the returned directories.
 */
public final class Snapshotter implements AutoCloseable {

  /** How layers become trees. */
  public enum Mode {
    /** One overlay-format directory per layer, chains as overlayfs stacks; needs root. */
    STACKED,
    /** One complete copied tree per chain. */
    COPIED
  }

  /**
   * The most layer directories a stack holds. Layer directories are passed to overlayfs by their
   * 64-digit names (69 with {@code .flat}), so 40 of them and two absolute paths for the upper
   * and work directories stay well inside one page of mount options; the kernel's own limit on
   * the stack depth (500) is far above.
   */
  public static final int MAX_STACK = 40;

  /** Flattened prefixes grow in steps of this many layers. */
  public static final int FLATTEN_STEP = 20;

  private static final System.Logger LOG = System.getLogger(Snapshotter.class.getName());
  private static final Duration WAIT = Duration.ofHours(6);

  private final Path root;
  private final Path layerRoot;
  private final Path owner;
  private final FileChannel ownerLockChannel;
  private final FileLock ownerLock;
  private final BlobStore blobs;
  private final Mode mode;
  private final ExtractOptions extractOptions;
  private final SingleFlight<String, Path> flights = new SingleFlight<>();
  private final OverlayViews views;
  // Inside the owner directory, so a crash leaves its contents to the sweep of owner directories.
  private final Trash trash;
  private final java.util.concurrent.atomic.AtomicBoolean closed =
      new java.util.concurrent.atomic.AtomicBoolean();

  private Snapshotter(Path root, Path owner, FileChannel channel, FileLock lock, BlobStore blobs,
      Mode mode, Trash trash) {
    this.root = root;
    this.layerRoot = root.resolve("layers");
    this.owner = owner;
    this.ownerLockChannel = channel;
    this.ownerLock = lock;
    this.blobs = blobs;
    this.mode = mode;
    ExtractOptions options = ExtractOptions.forCurrentUser();
    this.extractOptions = mode == Mode.STACKED ? options.inOverlayFormat() : options;
    this.views = new OverlayViews(owner.resolve("views"));
    this.trash = trash;
  }

  /**
   * A snapshotter keeping its trees under {@code root}, stacking layers when running as root and
   * a test overlay mounts there, copying otherwise (the reason is logged); removes what a crash
   * left behind.
   */
  public static Snapshotter open(Path root, BlobStore blobs)
      throws IOException, InterruptedException {
    return open(root, blobs, detect(root));
  }

  /** A snapshotter in {@code mode} under {@code root}; removes what a crash left behind. */
  public static Snapshotter open(Path root, BlobStore blobs, Mode mode)
      throws IOException, InterruptedException {
    Files.createDirectories(root);
    sweep(root);
    if (mode == Mode.STACKED) {
      Files.createDirectories(root.resolve("layers").resolve("empty"));
    }
    Path owner = Files.createDirectories(root.resolve("owners").resolve(UUID.randomUUID().toString()));
    FileChannel channel = FileChannel.open(owner.resolve("lock"), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.lock();
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    Trash trash;
    try {
      trash = Trash.open(owner.resolve("trash"));
    } catch (IOException | RuntimeException e) {
      lock.release();
      channel.close();
      throw e;
    }
    return new Snapshotter(root, owner, channel, lock, blobs, mode, trash);
  }

  /**
   * {@link Mode#STACKED} when this process is root and a test overlay (with a whiteout) works in
   * {@code root}; otherwise {@link Mode#COPIED}, logging why.
   */
  public static Mode detect(Path root) throws IOException, InterruptedException {
    if (!isRoot()) {
      LOG.log(System.Logger.Level.INFO,
          "snapshots are copied, not stacked with overlayfs: not running as root");
      return Mode.COPIED;
    }
    Optional<String> reason = OverlayMount.unusableReason(root);
    if (reason.isPresent()) {
      LOG.log(System.Logger.Level.WARNING,
          "snapshots are copied, not stacked with overlayfs: " + reason.get());
      return Mode.COPIED;
    }
    return Mode.STACKED;
  }

  private static boolean isRoot() {
    try {
      return Files.getAttribute(Path.of("/proc/self"), "unix:uid") instanceof Integer uid
          && uid == 0;
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  /**
   * Removes leftovers of crashed processes: owner directories whose lock no process holds (their
   * mounts first) and temporary directories of older versions. Never deletes below a mount.
   */
  private static void sweep(Path root) throws IOException {
    Path owners = root.resolve("owners");
    if (Files.isDirectory(owners)) {
      try (var entries = Files.list(owners)) {
        for (Path dir : entries.toList()) {
          if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            continue;
          }
          try (FileChannel channel = FileChannel.open(dir.resolve("lock"),
              StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
              continue;
            }
            removeUnmounted(dir);
          } catch (OverlappingFileLockException e) {
            // A snapshotter of this process owns it.
          }
        }
      }
    }
    try (var entries = Files.list(root)) {
      for (Path entry : entries.toList()) {
        if (entry.getFileName().toString().startsWith("tmp-")) {
          removeUnmounted(entry);
        }
      }
    }
    Path layers = root.resolve("layers");
    if (Files.isDirectory(layers)) {
      try (var entries = Files.list(layers)) {
        for (Path entry : entries.toList()) {
          if (entry.getFileName().toString().startsWith("tmp-")) {
            removeUnmounted(entry);
          }
        }
      }
    }
  }

  private static void removeUnmounted(Path dir) throws IOException {
    MountTable.unmountAllUnder(dir);
    List<Path> still = MountTable.mountPointsUnder(dir);
    if (!still.isEmpty()) {
      throw new IOException("cannot remove " + dir + ": still mounted there: " + still);
    }
    Trees.delete(dir);
  }

  /** How this snapshotter makes trees. */
  public Mode mode() {
    return mode;
  }

  /**
   * Removes a directory from {@link #temporaryDirectory} off the caller's critical path: it is
   * renamed out of the way at once and deleted in the background. Nothing may be mounted below.
   */
  public void discard(Path temporary) throws IOException {
    if (!temporary.startsWith(owner)) {
      throw new IllegalArgumentException(temporary + " is not a temporary directory of " + owner);
    }
    trash.discard(temporary);
  }

  /** The directory new work (file operations, RUN changes) may use as scratch space. */
  public Path temporaryDirectory() throws IOException {
    Path dir = owner.resolve("tmp-" + UUID.randomUUID());
    Files.createDirectory(dir);
    return dir;
  }

  /**
   * The chain id of {@code chain} as the OCI image spec defines it: the first diff ID, then
   * {@code sha256(parent + " " + diffId)} for each further layer. The empty chain has the id of
   * the empty string.
   */
  public static Digest chainId(List<LayerRef> chain) {
    if (chain.isEmpty()) {
      return Digest.sha256(new byte[0]);
    }
    Digest id = chain.getFirst().diffId();
    for (LayerRef layer : chain.subList(1, chain.size())) {
      id = Digest.sha256((id + " " + layer.diffId()).getBytes(StandardCharsets.UTF_8));
    }
    return id;
  }

  /**
   * The directories that make up {@code chain}'s file system, topmost first, unpacking whatever
   * is not unpacked yet. In {@link Mode#STACKED} they are overlayfs lower directories (never
   * fewer than two, so that a read-only overlay of them can be mounted; an empty directory fills
   * in), all in one parent directory; in {@link Mode#COPIED} the one complete tree.
   */
  public List<Path> layers(List<LayerRef> chain) throws IOException, InterruptedException {
    if (mode == Mode.COPIED) {
      return List.of(copiedTree(chain));
    }
    List<Path> stack = new ArrayList<>();
    int flattened = chain.size() <= MAX_STACK ? 0
        : ceilToStep(chain.size() - (MAX_STACK - 1));
    for (int i = chain.size() - 1; i >= flattened; i--) {
      Path layer = layerDirectory(chain.get(i));
      // overlayfs refuses a directory twice in one stack (two RUN steps that changed nothing
      // have the same empty layer). Applying a layer again over itself and what lies between
      // gives what its topmost copy alone gives: every path it defines is decided by that copy,
      // every other path it never touched.
      if (!stack.contains(layer)) {
        stack.add(layer);
      }
    }
    if (flattened > 0) {
      stack.add(flattenedDirectory(chain.subList(0, flattened)));
    }
    if (stack.size() < 2) {
      stack.add(layerRoot.resolve("empty"));
    }
    return List.copyOf(stack);
  }

  private static int ceilToStep(int layers) {
    return (layers + FLATTEN_STEP - 1) / FLATTEN_STEP * FLATTEN_STEP;
  }

  /**
   * The complete tree of {@code chain}, unpacking whatever is not unpacked yet, until the lease is
   * closed. In {@link Mode#STACKED} it is a read-only overlay mount shared by the chain's readers
   * and unmounted some time after the last one closes its lease.
   */
  public TreeLease tree(List<LayerRef> chain) throws IOException, InterruptedException {
    Digest id = chainId(chain);
    if (mode == Mode.STACKED) {
      if (chain.isEmpty()) {
        return TreeLease.unmanaged(layerRoot.resolve("empty"));
      }
      List<LayerRef> copied = List.copyOf(chain);
      return views.acquire(id, () -> layers(copied));
    }
    return TreeLease.unmanaged(copiedTree(chain));
  }

  /** How many read-only views are mounted now, in use or idle; for tests and metrics. */
  public int mountedViews() {
    return views.mounted();
  }

  private Path copiedTree(List<LayerRef> chain) throws IOException, InterruptedException {
    Digest id = chainId(chain);
    Path target = root.resolve(id.encoded());
    if (Files.isDirectory(target)) {
      return target;
    }
    List<LayerRef> copied = List.copyOf(chain);
    return await("tree " + id, () -> copyTree(copied, target));
  }

  /**
   * Unmounts the read-only views this snapshotter made and removes its scratch space; later calls
   * do nothing (engines made with {@code withTracer} share one snapshotter).
   */
  @Override
  public void close() throws IOException {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      views.clear();
      // The owner directory goes as a whole; a background deletion inside it must not race that.
      try {
        trash.awaitIdle();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException(
            "interrupted while deleting discarded directories; the next open removes " + owner);
      }
      removeUnmounted(owner);
    } finally {
      try {
        ownerLock.release();
      } finally {
        ownerLockChannel.close();
      }
    }
  }

  /** Work for a single-flight key. */
  @FunctionalInterface
  private interface Work {
    Path run() throws IOException, InterruptedException;
  }

  private Path await(String key, Work work) throws IOException, InterruptedException {
    try {
      return flights.await(key, work::run, WAIT);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof InterruptedException interrupted) {
        throw interrupted;
      }
      if (cause instanceof UncheckedIOException unchecked) {
        throw unchecked.getCause();
      }
      throw new IOException("unpacking layers failed: " + cause, cause);
    } catch (TimeoutException e) {
      throw new IOException("unpacking layers took longer than " + WAIT, e);
    }
  }

  /**
   * Offers {@code tree}, which must equal what unpacking {@code layer} gives (see
   * {@code RecordedTree}), as that layer's unpacked directory, so that the layer a step just wrote
   * is not unpacked again. In {@link Mode#STACKED} the tree is synced and moved into place unless
   * the layer is unpacked already; in {@link Mode#COPIED} (which applies layers onto copies of
   * their parents) it is left where it is. Either way the caller still owns and removes whatever
   * remains at {@code tree}.
   */
  public void adopt(LayerRef layer, Path tree) throws IOException {
    if (mode != Mode.STACKED) {
      return;
    }
    Path target = layerRoot.resolve(layer.diffId().encoded());
    if (!Files.isDirectory(target)) {
      publish(tree, target);
    }
  }

  /** The overlay-format directory of one layer, unpacked once per diff ID. */
  private Path layerDirectory(LayerRef layer) throws IOException, InterruptedException {
    Path target = layerRoot.resolve(layer.diffId().encoded());
    if (Files.isDirectory(target)) {
      return target;
    }
    return await("layer " + layer.diffId(), () -> {
      if (Files.isDirectory(target)) {
        return target;
      }
      Path work = temporaryDirectory();
      try {
        extract(layer, work);
        return publish(work, target);
      } catch (IOException | RuntimeException e) {
        Trees.delete(work);
        throw e;
      }
    });
  }

  /** The complete tree of {@code prefix}, copied once out of a read-only overlay of its stack. */
  private Path flattenedDirectory(List<LayerRef> prefix)
      throws IOException, InterruptedException {
    Digest id = chainId(prefix);
    Path target = layerRoot.resolve(id.encoded() + ".flat");
    if (Files.isDirectory(target)) {
      return target;
    }
    List<LayerRef> copied = List.copyOf(prefix);
    return await("flat " + id, () -> {
      if (Files.isDirectory(target)) {
        return target;
      }
      List<Path> stack = layers(copied);
      Path work = temporaryDirectory();
      try {
        Path merged = Files.createDirectory(work.resolve("merged"));
        Path tree = Files.createDirectory(work.resolve("tree"));
        OverlayMount.mount(stack, null, null, merged);
        try {
          Trees.copyContents(merged, tree);
        } finally {
          MountTable.unmountAllUnder(merged);
        }
        Path published = publish(tree, target);
        removeUnmounted(work);
        return published;
      } catch (IOException | InterruptedException | RuntimeException e) {
        removeUnmounted(work);
        throw e;
      }
    });
  }

  private Path copyTree(List<LayerRef> chain, Path target) throws IOException, InterruptedException {
    if (Files.isDirectory(target)) {
      return target;
    }
    Path work = temporaryDirectory();
    try {
      if (!chain.isEmpty()) {
        Path parent = copiedTree(chain.subList(0, chain.size() - 1));
        Trees.copyContents(parent, work);
        extract(chain.getLast(), work);
      }
      return publish(work, target);
    } catch (IOException | InterruptedException | RuntimeException e) {
      Trees.delete(work);
      throw e;
    }
  }

  /** Applies {@code layer} to {@code directory}, checking its diff ID. */
  private void extract(LayerRef layer, Path directory) throws IOException {
    try (InputStream in = open(layer)) {
      var result = LayerExtractor.extract(in, directory, extractOptions);
      if (!result.diffId().equals(layer.diffId())) {
        throw new IOException("layer " + layer.blob().digest() + " has diff ID "
            + result.diffId() + ", but its image config says " + layer.diffId());
      }
    } catch (LayerException e) {
      // The extractor knows the entry; only here is it known which of the image's layers.
      throw new IOException(
          "layer " + layer.blob().digest() + " of the base image cannot be unpacked: "
              + e.getMessage(),
          e);
    }
  }

  /**
   * The blob of {@code layer} for unpacking. A plain tar (the builder's own layers) has its diff
   * ID as blob digest, and the extractor checks the diff ID over every byte: verifying the blob as
   * well would hash the same bytes twice, 500 MB of sha256 for a large layer.
   */
  private InputStream open(LayerRef layer) throws IOException {
    Digest digest = layer.blob().digest();
    if (digest.equals(layer.diffId())) {
      return new BufferedInputStream(Channels.newInputStream(blobs.openChannel(digest)),
          256 * 1024);
    }
    return blobs.openVerified(digest);
  }

  /** Renames the finished {@code work} to {@code target}; a concurrent twin's result is kept. */
  private static Path publish(Path work, Path target) throws IOException {
    Files.createDirectories(target.getParent());
    // The name is what says "complete": the content must be durable before the rename makes it
    // visible, and the rename durable (parent fsync) before a build relies on it.
    Trees.sync(work);
    try {
      Files.move(work, target, StandardCopyOption.ATOMIC_MOVE);
      Trees.force(target.getParent());
    } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
      // Another process unpacked the same content first; its tree is identical.
      Trees.delete(work);
    } catch (IOException e) {
      if (!Files.isDirectory(target)) {
        throw e;
      }
      Trees.delete(work);
    }
    return target;
  }
}
