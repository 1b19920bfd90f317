package io.slipway.store.blob;

import io.slipway.oci.Digest;
import io.slipway.oci.DigestAlgorithm;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A {@link BlobWriter} appending to one file in a {@link FileBlobStore}'s ingest area and hashing
 * each buffer as it is written, so committing never re-reads the data (unless asked to commit
 * under another algorithm than the one chosen when the ingest started).
 *
 * <p>Not safe for concurrent use: one thread (one upload) owns it. A resumable ingest is also
 * claimed in its store and locked on disk, so no other writer can append to it meanwhile.
 */
final class FileBlobWriter implements BlobWriter {

  private enum State {
    OPEN,
    CLOSED,
    COMMITTED,
    ABORTED
  }

  private final FileBlobStore store;
  private final String id;
  private final DigestAlgorithm algorithm;
  private final Path file;
  private final FileChannel channel;
  private final boolean resumable;

  /** Hash of the first {@link #size} bytes; null until the file has been hashed after a resume. */
  private MessageDigest hasher;

  private long size;
  private State state = State.OPEN;

  FileBlobWriter(
      FileBlobStore store,
      String id,
      DigestAlgorithm algorithm,
      Path file,
      FileChannel channel,
      boolean resumable,
      MessageDigest hasher,
      long size) {
    this.store = store;
    this.id = id;
    this.algorithm = algorithm;
    this.file = file;
    this.channel = channel;
    this.resumable = resumable;
    this.hasher = hasher;
    this.size = size;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public void write(ByteBuffer bytes) throws IOException {
    Objects.requireNonNull(bytes, "bytes");
    requireOpen();
    ensureHashed();
    ByteBuffer toHash = bytes.duplicate();
    long written = 0;
    try {
      while (bytes.hasRemaining()) {
        written += channel.write(bytes, size + written);
      }
    } catch (IOException e) {
      // Part of the buffer may be on disk: the file is now the only truth, so drop the hasher
      // and let the next use re-hash whatever the file holds. If even its size is unknown, the
      // ingest is beyond saving.
      hasher = null;
      try {
        size = channel.size();
      } catch (IOException unknown) {
        e.addSuppressed(unknown);
        state = State.ABORTED;
        try {
          finish(true);
        } catch (IOException cleanup) {
          e.addSuppressed(cleanup);
        }
      }
      throw e;
    }
    hasher.update(toHash);
    size += written;
  }

  @Override
  public Digest digest(DigestAlgorithm requested) throws IOException {
    Objects.requireNonNull(requested, "requested");
    requireOpen();
    if (requested != algorithm) {
      return Digest.fromHash(requested, FileBlobStore.hashFile(channel, size, requested).digest());
    }
    ensureHashed();
    return Digest.fromHash(algorithm, copyOf(hasher).digest());
  }

  @Override
  public Digest commit(Digest expected, long expectedSize) throws IOException {
    Objects.requireNonNull(expected, "expected");
    requireOpen();
    try {
      if (expectedSize >= 0 && size != expectedSize) {
        throw new BlobSizeMismatchException(expectedSize, size);
      }
      Digest actual = digest(expected.algorithm());
      if (!actual.equals(expected)) {
        throw new BlobDigestMismatchException(expected, actual);
      }
      channel.force(true);
      store.publish(file, expected);
    } catch (IOException | RuntimeException e) {
      state = State.ABORTED;
      try {
        finish(true);
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
    state = State.COMMITTED;
    finish(false);
    return expected;
  }

  @Override
  public void abort() throws IOException {
    if (state == State.COMMITTED || state == State.ABORTED) {
      return;
    }
    state = State.ABORTED;
    finish(true);
  }

  @Override
  public void close() throws IOException {
    if (state != State.OPEN) {
      return;
    }
    if (!resumable) {
      state = State.ABORTED;
      finish(true);
      return;
    }
    state = State.CLOSED;
    try {
      // The caller is about to acknowledge what was written (a 202 to a PATCH), so make it
      // durable before the handle goes.
      channel.force(false);
    } finally {
      try {
        channel.close();
      } finally {
        store.release(id, hasher, size);
      }
    }
  }

  /** Closes the file, deletes it when {@code delete} is set, and gives up the ingest's claim. */
  private void finish(boolean delete) throws IOException {
    try {
      channel.close();
      if (delete) {
        Files.deleteIfExists(file);
      }
    } finally {
      if (resumable) {
        store.release(id, null, 0);
      }
    }
  }

  /** True when the bytes so far are hashed, so no re-read of the file is pending. */
  boolean hashKnown() {
    return hasher != null;
  }

  private void ensureHashed() throws IOException {
    if (hasher == null) {
      hasher = FileBlobStore.hashFile(channel, size, algorithm);
    }
  }

  private void requireOpen() {
    if (state != State.OPEN) {
      throw new IllegalStateException(
          "ingest " + id + " is " + state.name().toLowerCase(java.util.Locale.ROOT)
              + "; resume it or start a new one");
    }
  }

  private static MessageDigest copyOf(MessageDigest hasher) {
    try {
      return (MessageDigest) hasher.clone();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException(hasher.getAlgorithm() + " hasher cannot be copied", e);
    }
  }

  @Override
  public String toString() {
    return "BlobWriter[" + id + ", " + size + " bytes, " + state + "]";
  }
}
