package io.slipway.store.blob;

import io.slipway.oci.DigestAlgorithm;
import java.time.Instant;
import java.util.Objects;

/**
 * What a resumable ingest holds so far: its id, the algorithm it hashes with, how many bytes it
 * has and when it was last written. Immutable.
 */
public record IngestStatus(String id, DigestAlgorithm algorithm, long size, Instant lastWritten) {
  public IngestStatus {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(lastWritten, "lastWritten");
    if (size < 0) {
      throw new IllegalArgumentException("size must not be negative: " + size);
    }
  }
}
