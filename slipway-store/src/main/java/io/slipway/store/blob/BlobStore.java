package io.slipway.store.blob;

import io.slipway.oci.Digest;
import io.slipway.oci.DigestAlgorithm;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Content-addressed storage of immutable blobs, named by their digest.
 *
 * <p>A blob becomes visible only once it is complete, verified and durable: writers stream into
 * an ingest area, and {@link BlobWriter#commit} checks digest and size, syncs the data, renames it
 * into place and syncs the directory. A reader therefore never sees a partial blob, and a copy of
 * the store taken at any instant holds only whole blobs (plus ingest leftovers that opening the
 * store removes). Implementations are safe for concurrent use; two writers of the same content
 * both succeed and leave one copy.
 */
public interface BlobStore extends AutoCloseable {

  /** True when the blob is stored. */
  boolean exists(Digest digest) throws IOException;

  /**
   * Restarts a stored blob's age, as writing it again would, without writing it: a collector's
   * grace for fresh files then covers a blob that is about to be named by a record made from a
   * lookup rather than a write. Ordered against {@link #deleteIf} by the content exclusion, so a
   * delete either came first (false) or sees the new age.
   *
   * @return false when the blob is not stored
   */
  boolean renew(Digest digest) throws IOException;

  /** The stored size of the blob, if stored. */
  Optional<Long> size(Digest digest) throws IOException;

  /**
   * Opens the blob for reading by position, so servers can use zero-copy {@code transferTo}. The
   * caller closes the channel.
   *
   * @throws BlobNotFoundException when the blob is not stored
   */
  FileChannel openChannel(Digest digest) throws IOException;

  /**
   * Opens the blob as a stream that re-hashes what it reads and fails at end of stream, with
   * {@link BlobCorruptedException}, if the content does not match its digest.
   *
   * @throws BlobNotFoundException when the blob is not stored
   */
  InputStream openVerified(Digest digest) throws IOException;

  /**
   * Stores everything {@code content} yields, checking it against the expected digest and size
   * (size {@code -1} when unknown). Returns the digest; leaves nothing behind on failure.
   */
  Digest put(InputStream content, Digest expected, long expectedSize) throws IOException;

  /** Starts a new resumable ingest with a fresh random id, hashing with sha256. */
  default BlobWriter newWriter() throws IOException {
    return newWriter(DigestAlgorithm.SHA256);
  }

  /**
   * Starts a new resumable ingest with a fresh random id, hashing with {@code algorithm} as bytes
   * arrive. Committing under another algorithm is allowed but costs one extra read of the data.
   *
   * <p>A resumable ingest survives {@link BlobWriter#close()} and a restart of the process; it is
   * removed by {@link BlobWriter#commit}, {@link BlobWriter#abort()} or {@link #purgeIngests}.
   */
  BlobWriter newWriter(DigestAlgorithm algorithm) throws IOException;

  /**
   * Starts an ingest for an internal write that will not be resumed (a layer being compressed, a
   * download being verified). {@link BlobWriter#close()} without commit deletes its data, and
   * whatever a crash leaves behind is deleted the next time the store is opened. Its id is not
   * accepted by {@link #resumeWriter}.
   */
  BlobWriter newTemporaryWriter(DigestAlgorithm algorithm) throws IOException;

  /**
   * Reopens a resumable ingest started earlier, possibly by a process that has since stopped,
   * positioned at its current end.
   *
   * @throws IngestNotFoundException when no resumable ingest has that id
   * @throws IngestInUseException when another writer currently holds the ingest
   */
  BlobWriter resumeWriter(String ingestId) throws IOException;

  /**
   * The state of a resumable ingest without opening it: cheap enough to answer an upload status
   * request.
   */
  Optional<IngestStatus> ingest(String ingestId) throws IOException;

  /**
   * Deletes resumable ingests last written longer ago than {@code age} and not currently held by a
   * writer (in this process or another). Returns the ids deleted, so callers can drop their own
   * records of them.
   */
  List<String> purgeIngests(Duration age) throws IOException;

  /**
   * Runs {@code record}, the commit of a record naming {@code blobs}, after checking that every
   * one of them is stored, while no {@link #deleteIf} of this store's content can run, in this
   * process or another sharing the store. A record committed here therefore never names a blob a
   * collector deleted after finding it unnamed. Hold it around a database commit only, never
   * around network I/O, and do not call it (nor commit a blob) inside a database write
   * transaction: the exclusion would then wait on the database and the database on it.
   *
   * @throws BlobNotFoundException naming a blob that is missing (a collector deleted it after the
   *     caller wrote or found it); {@code record} did not run
   */
  <T, E extends Exception> T recordIfPresent(Collection<Digest> blobs, Guarded<T, E> record)
      throws IOException, E;

  /**
   * Deletes {@code digest} if {@code stillGarbage}, asked under the same exclusion as {@link
   * #recordIfPresent} and publishing, says it is still unnamed; returns whether it was deleted. A
   * collector makes its last checks here, so nothing can name or publish the blob between them and
   * the deletion. It is the only way to delete a blob: every deleter (GC, fsck repair, prune)
   * goes through it, most through {@code io.slipway.store.fsck.UnnamedBlobDeleter}.
   */
  <E extends Exception> boolean deleteIf(Digest digest, Guarded<Boolean, E> stillGarbage)
      throws IOException, E;

  /** Work run under the store's content exclusion ({@link #recordIfPresent}, {@link #deleteIf}). */
  @FunctionalInterface
  interface Guarded<T, E extends Exception> {
    T run() throws IOException, E;
  }

  /**
   * This store's {@link StoreKey}, for stores that live on a file system other processes may
   * share; empty for others.
   */
  default Optional<StoreKey> key() {
    return Optional.empty();
  }

  /** Every stored digest, in no particular order. The caller closes the stream. */
  Stream<Digest> list() throws IOException;

  @Override
  void close() throws IOException;
}
