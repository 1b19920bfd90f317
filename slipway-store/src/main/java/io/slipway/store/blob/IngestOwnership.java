package io.slipway.store.blob;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

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
 * the same root in one JVM share one lock through a reference count. Safe for concurrent use; the
 * static monitor is held only while a store opens or closes, never on a read or write path.
 */
final class IngestOwnership implements AutoCloseable {

  /** Cleans the ingest area; called only while the exclusive lock is held. */
  @FunctionalInterface
  interface Cleanup {
    void run() throws IOException;
  }

  private static final Object MONITOR = new Object();
  private static final Map<Path, Holder> HOLDERS = new HashMap<>();

  private static final class Holder {
    final FileChannel channel;
    final FileLock lock;
    int users;

    Holder(FileChannel channel, FileLock lock) {
      this.channel = channel;
      this.lock = lock;
    }
  }

  private final Path lockFile;
  private boolean closed;

  private IngestOwnership(Path lockFile) {
    this.lockFile = lockFile;
  }

  /**
   * Takes part in the ownership of {@code lockFile}, running {@code cleanup} first when no other
   * store, in this JVM or another process, has the same root open.
   */
  static IngestOwnership acquire(Path lockFile, Cleanup cleanup) throws IOException {
    Path key = lockFile.toAbsolutePath().normalize();
    synchronized (MONITOR) {
      Holder holder = HOLDERS.get(key);
      if (holder == null) {
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
          FileLock shared = channel.lock(0, Long.MAX_VALUE, true);
          holder = new Holder(channel, shared);
        } catch (IOException | RuntimeException e) {
          channel.close();
          throw e;
        }
        HOLDERS.put(key, holder);
      }
      holder.users++;
    }
    return new IngestOwnership(key);
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
    synchronized (MONITOR) {
      if (closed) {
        return;
      }
      closed = true;
      Holder holder = HOLDERS.get(lockFile);
      if (holder != null && --holder.users == 0) {
        HOLDERS.remove(lockFile);
        try {
          holder.lock.release();
        } finally {
          holder.channel.close();
        }
      }
    }
  }
}
