package io.slipway.build.snapshot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A directory that takes trees which are no longer needed and deletes them on a background thread,
 * so a step pays for one {@code rename(2)} instead of an unlink per file on a file system that
 * other writers may keep busy. What a crash leaves in it is deleted when the next process opens
 * it. Whatever is discarded must already be unmounted and hold nothing secret: the deletion
 * happens later. Safe for concurrent use, also by several processes sharing the directory (each
 * tolerates the other deleting an entry first).
 */
public final class Trash {

  private static final System.Logger LOG = System.getLogger(Trash.class.getName());

  private final Path directory;
  private final String prefix;
  private final AtomicLong counter = new AtomicLong();
  // At most one thread: deletions are sequential anyway on one file system, and a single thread
  // keeps the background work from competing with the build for the machine's cores. It ends
  // when idle, so an owner that is never closed leaves no thread behind.
  private final ExecutorService deleter =
      new ThreadPoolExecutor(
          0,
          1,
          1,
          TimeUnit.SECONDS,
          new LinkedBlockingQueue<>(),
          task -> Thread.ofPlatform().daemon().name("slipway-trash").unstarted(task));

  private Trash(Path directory) {
    this.directory = directory;
    this.prefix = ProcessHandle.current().pid() + "-" + System.nanoTime() + "-";
  }

  /**
   * Opens {@code directory} (on the same file system as what will be discarded into it, since
   * discarding is a rename), creating it when needed, and starts deleting what is already there.
   */
  public static Trash open(Path directory) throws IOException {
    Trash trash = new Trash(Files.createDirectories(directory));
    try (var entries = Files.list(directory)) {
      for (Path entry : entries.toList()) {
        trash.deleteLater(entry);
      }
    }
    return trash;
  }

  /** The directory holding discarded trees until they are deleted. */
  public Path directory() {
    return directory;
  }

  /**
   * Moves {@code tree} out of the way at once and deletes it in the background; a missing path is
   * fine.
   */
  public void discard(Path tree) throws IOException {
    if (!Files.exists(tree, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Path target = directory.resolve(prefix + counter.incrementAndGet());
    Files.move(tree, target, StandardCopyOption.ATOMIC_MOVE);
    deleteLater(target);
  }

  /** Waits until everything discarded so far is deleted (for tests and orderly shutdown). */
  public void awaitIdle() throws InterruptedException {
    try {
      deleter.submit(() -> {}).get();
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("the trash deleter failed", e.getCause());
    }
  }

  private void deleteLater(Path entry) {
    deleter.execute(() -> {
      try {
        Trees.delete(entry);
      } catch (IOException | RuntimeException e) {
        // Another process sweeping the same trash may have taken it first; otherwise the next
        // open retries, so a failure here costs disk space until then, never a build.
        if (Files.exists(entry, LinkOption.NOFOLLOW_LINKS)) {
          LOG.log(
              System.Logger.Level.WARNING,
              "could not delete " + entry + "; retried at next start",
              e);
        }
      }
    });
  }
}
