package io.slipway.build.snapshot;

import io.slipway.build.cache.LayerRef;
import io.slipway.client.concurrent.SingleFlight;
import io.slipway.oci.Digest;
import io.slipway.store.blob.BlobStore;
import io.slipway.store.layer.ExtractOptions;
import io.slipway.store.layer.LayerException;
import io.slipway.store.layer.LayerExtractor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Turns a chain of layers into a complete, read-only directory tree (the copying snapshotter):
 * the tree of a chain is the tree of the chain without its last layer, copied, with the last layer
 * extracted over it by the store's safe {@link LayerExtractor}. Trees are kept under
 * {@code <root>/<chain id>/} and shared by every build whose chain is the same, so each layer is
 * unpacked once per chain. A tree is built in a temporary directory, fsynced, and renamed into
 * place (then the parent is fsynced), so a crash or power loss leaves only temporary directories,
 * which {@link #open} removes, and never a named tree with missing content.
 *
 * <p>Safe for concurrent use: concurrent requests for one chain share one extraction
 * (single-flight per chain id); no lock is held while extracting. Callers must not write into the
 * returned directories.
 */
public final class Snapshotter {

  private static final Duration WAIT = Duration.ofHours(6);

  private final Path root;
  private final BlobStore blobs;
  private final ExtractOptions extractOptions;
  private final SingleFlight<Digest, Path> flights = new SingleFlight<>();

  private Snapshotter(Path root, BlobStore blobs) {
    this.root = root;
    this.blobs = blobs;
    this.extractOptions = ExtractOptions.forCurrentUser();
  }

  /** A snapshotter keeping its trees under {@code root}; removes what a crash left behind. */
  public static Snapshotter open(Path root, BlobStore blobs) throws IOException {
    Files.createDirectories(root);
    try (var entries = Files.list(root)) {
      for (Path entry : entries.toList()) {
        if (entry.getFileName().toString().startsWith("tmp-")) {
          Trees.delete(entry);
        }
      }
    }
    return new Snapshotter(root, blobs);
  }

  /** The directory new work (file operations, RUN changes) may use as scratch space. */
  public Path temporaryDirectory() throws IOException {
    Path dir = root.resolve("tmp-" + UUID.randomUUID());
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

  /** The complete tree of {@code chain}, unpacking whatever is not unpacked yet. */
  public Path tree(List<LayerRef> chain) throws IOException, InterruptedException {
    Digest id = chainId(chain);
    Path target = root.resolve(id.encoded());
    if (Files.isDirectory(target)) {
      return target;
    }
    List<LayerRef> copied = List.copyOf(chain);
    try {
      return flights.await(id, () -> build(copied, target), WAIT);
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

  private Path build(List<LayerRef> chain, Path target) throws IOException, InterruptedException {
    if (Files.isDirectory(target)) {
      return target;
    }
    Path work = temporaryDirectory();
    try {
      if (!chain.isEmpty()) {
        Path parent = tree(chain.subList(0, chain.size() - 1));
        Trees.copyContents(parent, work);
        LayerRef last = chain.getLast();
        try (InputStream in = blobs.openVerified(last.blob().digest())) {
          var result = LayerExtractor.extract(in, work, extractOptions);
          if (!result.diffId().equals(last.diffId())) {
            throw new IOException("layer " + last.blob().digest() + " has diff ID "
                + result.diffId() + ", but its image config says " + last.diffId());
          }
        } catch (LayerException e) {
          // The extractor knows the entry; only here is it known which of the image's layers.
          throw new IOException(
              "layer " + last.blob().digest() + " of the base image cannot be unpacked: "
                  + e.getMessage(),
              e);
        }
      }
      // The tree's name is what says "complete": its content must be durable before the rename
      // makes it visible, and the rename durable (parent fsync) before a build relies on it.
      Trees.sync(work);
      try {
        Files.move(work, target, StandardCopyOption.ATOMIC_MOVE);
        Trees.force(root);
      } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
        // Another process unpacked the same chain first; its tree is identical.
        Trees.delete(work);
      } catch (IOException e) {
        if (!Files.isDirectory(target)) {
          throw e;
        }
        Trees.delete(work);
      }
      return target;
    } catch (IOException | InterruptedException | RuntimeException e) {
      Trees.delete(work);
      throw e;
    }
  }
}
