package io.slipway.build.cache;

import io.slipway.oci.Digest;
import java.time.Instant;
import java.util.Objects;

/**
 * One row of the build cache as disk usage and prune see it: the key, what made it, when it was
 * made and last used, how many times a build reused it, and the record itself (whose descriptors
 * give the sizes). Immutable.
 *
 * @param description the step that made it, e.g. {@code [build 2/4] RUN make}; empty for records
 *     written before descriptions were kept
 * @param useCount how many cache hits reused it (0: only ever computed)
 */
public record CacheEntry(Digest key, String description, Instant created, Instant lastUsed,
    long useCount, CacheRecord record) {
  public CacheEntry {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(created, "created");
    Objects.requireNonNull(lastUsed, "lastUsed");
    Objects.requireNonNull(record, "record");
  }
}
