package io.slipway.build.snapshot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A complete, read-only file system tree of a chain ({@link Snapshotter#tree}), usable until
 * closed: with stacked snapshots a read-only overlay mount that closing lets go of (it is
 * unmounted once no reader needs it, see {@link OverlayViews}); with copied snapshots a directory
 * that outlives the lease. Closing more than once does nothing. Safe for concurrent use, though
 * one reader normally holds it.
 */
public final class TreeLease implements AutoCloseable {

  /** What closing the lease does. */
  @FunctionalInterface
  interface Release {
    void run() throws IOException;
  }

  private final Path path;
  private final Release release;
  private final AtomicBoolean closed = new AtomicBoolean();

  private TreeLease(Path path, Release release) {
    this.path = path;
    this.release = release;
  }

  static TreeLease of(Path path, Release release) {
    return new TreeLease(path, release);
  }

  /** A lease on a directory that needs no release. */
  static TreeLease unmanaged(Path path) {
    return new TreeLease(path, () -> { });
  }

  /** The root of the tree; valid until {@link #close}. */
  public Path path() {
    return path;
  }

  @Override
  public void close() throws IOException {
    if (closed.compareAndSet(false, true)) {
      release.run();
    }
  }
}
