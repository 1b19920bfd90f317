package io.slipway.build.prune;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One entry of {@code slipway du}: a build cache record or a cache mount directory, with what it
 * keeps on disk and how it was used. Immutable.
 *
 * @param id the cache key (hex) of a build cache record, or {@code <sha256 of id>/<n>} of a cache
 *     mount directory
 * @param inUse whether a running build uses it (prune never removes it then)
 * @param items the disk it keeps alive, some of it possibly shared with other records
 */
public record UsageRecord(String id, RecordType type, String description, Instant created,
    Instant lastUsed, long useCount, boolean inUse, List<ContentItem> items) {
  public UsageRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(created, "created");
    Objects.requireNonNull(lastUsed, "lastUsed");
    items = List.copyOf(items);
  }

  /** Bytes of every item it names, shared or not. */
  public long size() {
    return items.stream().mapToLong(ContentItem::size).sum();
  }
}
