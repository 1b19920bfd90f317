package io.slipway.store.blob;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Orders the deletion of content against the naming of content, across every process that shares
 * a store's root (a registry collecting garbage on the root a builder writes to).
 *
 * <p>What makes a blob reachable holds this lock shared, briefly: the rename that publishes a blob
 * and the commit of a record that names blobs already stored. A collector holds it exclusively from
 * its last check that a blob is unnamed and old until the blob is gone. Either the name (or the
 * fresh file) exists before that last check, and the collector spares the blob; or the deletion
 * comes first, and the publish puts the blob back or the record's commit finds it missing and
 * refuses. The protocol is written down in {@code docs/durability.md} (registry GC).
 *
 * <p>The cross-process part is a POSIX record lock on one file ({@code ingest/content.lock}), which
 * the kernel drops when its process dies, so a crashed holder never blocks the root. Java file
 * locks belong to the whole JVM and may not overlap within it, so the threads of one JVM meet
 * first in a read-write lock (fair, so a collector is not starved by a stream of publishes), and
 * the file lock is taken by the first shared holder and dropped by the last. Each acquisition
 * opens its own channel: an interrupt during the wait closes only that channel.
 *
 * <p>Safe for concurrent use. Callers hold it around local file operations and database commits
 * only, never around network I/O. A thread must not ask for it while holding a database write
 * transaction: a shared holder may be waiting for that transaction's lock, and within one JVM a
 * queued exclusive request (the fair lock) keeps the new request waiting behind that holder.
 */
final class ContentLock {

  /** One lock per lock file in this JVM, however many stores are open on the root. */
  private static final ConcurrentMap<Path, ContentLock> LOCKS = new ConcurrentHashMap<>();

  /** A held lock; closing it releases the hold. */
  @FunctionalInterface
  interface Hold extends AutoCloseable {
    @Override
    void close() throws IOException;
  }

  private final Path file;
  private final ReentrantReadWriteLock threads = new ReentrantReadWriteLock(true);

  /** Guards {@link #channel} and {@link #sharers}. */
  private final ReentrantLock guard = new ReentrantLock();

  /** Open while the file lock is held by this JVM; closing it releases the file lock. */
  private FileChannel channel;

  private int sharers;

  private ContentLock(Path file) {
    this.file = file;
  }

  /** The lock on {@code file}, shared by every store of this JVM on the same root. */
  static ContentLock of(Path file) {
    return LOCKS.computeIfAbsent(file.toAbsolutePath().normalize(), ContentLock::new);
  }

  /** Holds the lock shared: other sharers go on, a collector waits until every sharer is done. */
  Hold shared() throws IOException {
    threads.readLock().lock();
    try {
      guard.lock();
      try {
        if (sharers == 0) {
          channel = take(true);
        }
        sharers++;
      } finally {
        guard.unlock();
      }
    } catch (IOException | RuntimeException e) {
      threads.readLock().unlock();
      throw e;
    }
    return () -> {
      try {
        guard.lock();
        try {
          if (--sharers == 0) {
            release();
          }
        } finally {
          guard.unlock();
        }
      } finally {
        threads.readLock().unlock();
      }
    };
  }

  /** Holds the lock exclusively, in this JVM and across processes. */
  Hold exclusive() throws IOException {
    threads.writeLock().lock();
    try {
      guard.lock();
      try {
        channel = take(false);
      } finally {
        guard.unlock();
      }
    } catch (IOException | RuntimeException e) {
      threads.writeLock().unlock();
      throw e;
    }
    return () -> {
      try {
        guard.lock();
        try {
          release();
        } finally {
          guard.unlock();
        }
      } finally {
        threads.writeLock().unlock();
      }
    };
  }

  private FileChannel take(boolean shared) throws IOException {
    FileChannel opened =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      opened.lock(0, Long.MAX_VALUE, shared);
      return opened;
    } catch (IOException | RuntimeException e) {
      opened.close();
      throw e;
    }
  }

  /** Closing the channel releases its lock; the lock file itself stays, as deleting it would race. */
  private void release() throws IOException {
    FileChannel held = channel;
    channel = null;
    held.close();
  }
}
