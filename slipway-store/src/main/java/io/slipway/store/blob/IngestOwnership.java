package io.slipway.store.blob;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Tells a store being opened whether it may delete temporary ingests, and keeps other processes
 * from deleting this process's temporary ingests while it runs.
 *
 * <p>A builder and a registry may share one root from two processes. Every process that has the
 * store open holds a shared lock on {@code ingest/lock}; a store that can take the lock
 * exclusively is the only user, so every temporary ingest is a crash leftover. The operating
 * system drops the lock when a process dies, so a killed process never blocks cleanup.
 *
 * <p>Java file locks belong to the whole JVM and may not overlap within it, so stores opened on
 * the same root in one JVM share one lock through a reference count. Safe for concurrent use.
 * Opening may wait for another process's exclusive lock and run the cleanup; that happens under a
 * lock of its own root only, so it holds up stores of that root (which must wait for the shared
 * lock anyway) and never stores of other roots. No lock is taken on a read or write path.
 */
final class IngestOwnership implements AutoCloseable {

  /** Cleans the ingest area; called only while the exclusive lock is held. */
  @FunctionalInterface
  interface Cleanup {
    void run() throws IOException;
  }

  /** The shared lock of one root, while at least one store of this JVM has the root open. */
  private static final ConcurrentMap<Path, Holder> HOLDERS = new ConcurrentHashMap<>();

  /** Guarded by {@link #guard}. A holder whose users fell to zero is gone from the map. */
  private static final class Holder {
    final ReentrantLock guard = new ReentrantLock();
    FileChannel channel;
    FileLock lock;
    int users;
  }

  private final Path lockFile;
  private final Holder holder;

  /** Guarded by {@code holder.guard}. */
  private boolean closed;

  private IngestOwnership(Path lockFile, Holder holder) {
    this.lockFile = lockFile;
    this.holder = holder;
  }

  /**
   * Takes part in the ownership of {@code lockFile}, running {@code cleanup} first when no other
   * store, in this JVM or another process, has the same root open.
   */
  static IngestOwnership acquire(Path lockFile, Cleanup cleanup) throws IOException {
    Path key = lockFile.toAbsolutePath().normalize();
    while (true) {
      Holder holder = HOLDERS.computeIfAbsent(key, k -> new Holder());
      holder.guard.lock();
      try {
        if (HOLDERS.get(key) != holder) {
          // Its last user closed it between our lookup and our lock: start again.
          continue;
        }
        if (holder.users == 0) {
          share(key, holder, cleanup);
        }
        holder.users++;
        return new IngestOwnership(key, holder);
      } catch (IOException | RuntimeException e) {
        HOLDERS.remove(key, holder);
        throw e;
      } finally {
        holder.guard.unlock();
      }
    }
  }

  /** Opens the lock file, cleans up if no other process uses the root, then takes the lock shared. */
  private static void share(Path key, Holder holder, Cleanup cleanup) throws IOException {
    FileChannel channel =
        FileChannel.open(
            key, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      FileLock exclusive = tryExclusive(channel);
      if (exclusive != null) {
        try {
          cleanup.run();
        } finally {
          exclusive.release();
        }
      }
      // Another process may take the exclusive lock between the release above and this
      // call and clean up; harmless, since this store has written nothing yet.
      holder.lock = channel.lock(0, Long.MAX_VALUE, true);
      holder.channel = channel;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  private static FileLock tryExclusive(FileChannel channel) throws IOException {
    try {
      return channel.tryLock(0, Long.MAX_VALUE, false);
    } catch (OverlappingFileLockException e) {
      return null;
    }
  }

  @Override
  public void close() throws IOException {
    holder.guard.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      if (--holder.users == 0) {
        HOLDERS.remove(lockFile, holder);
        try {
          holder.lock.release();
        } finally {
          holder.channel.close();
        }
      }
    } finally {
      holder.guard.unlock();
    }
  }
}
