package io.slipway.store.blob;

import io.slipway.oci.Digest;
import io.slipway.oci.DigestAlgorithm;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One in-progress write into a {@link BlobStore}'s ingest area, hashed as it is written.
 *
 * <p>Not safe for concurrent use: one upload owns it at a time. {@link #close()} without {@link
 * #commit} keeps the partial data so the ingest can be resumed by id; {@link #abort()} deletes it.
 */
public interface BlobWriter extends AutoCloseable {

  /** The ingest id, usable with {@link BlobStore#resumeWriter(String)}. */
  String id();

  /** Bytes written so far (including those written before a resume). */
  long size();

  /** Appends bytes at the current end. */
  void write(ByteBuffer bytes) throws IOException;

  /** Appends bytes at the current end. */
  default void write(byte[] bytes, int offset, int length) throws IOException {
    write(ByteBuffer.wrap(bytes, offset, length));
  }

  /** The digest of the bytes written so far, under {@code algorithm}. */
  Digest digest(DigestAlgorithm algorithm) throws IOException;

  /**
   * Verifies the written bytes against the expected digest and size ({@code -1} when unknown),
   * makes them durable and moves them into the store. On a mismatch the partial data is deleted
   * and {@link BlobDigestMismatchException} or {@link BlobSizeMismatchException} is thrown.
   */
  Digest commit(Digest expected, long expectedSize) throws IOException;

  /** Deletes the partial data. */
  void abort() throws IOException;

  /** Releases the file handle, keeping partial data for a later resume. */
  @Override
  void close() throws IOException;
}
