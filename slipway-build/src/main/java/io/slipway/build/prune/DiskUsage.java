package io.slipway.build.prune;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a builder root holds, as {@code slipway du} reports it and prune policies measure it: the
 * records with the disk each keeps alive, the metadata database files, and content no record
 * names any more (left for the next sweep). Immutable.
 *
 * @param metadataBytes {@code meta.db} with its {@code -wal} and {@code -shm} files
 * @param unreferencedBytes snapshot trees, condemned blobs and cache directories no record names;
 *     the next sweep deletes them, so they are not part of {@link #usedBytes()}
 */
public record DiskUsage(List<UsageRecord> records, long metadataBytes, long unreferencedBytes) {

  public DiskUsage {
    records = List.copyOf(records);
  }

  /** How many records name each item. */
  public Map<ContentItem, Integer> references() {
    Map<ContentItem, Integer> counts = new HashMap<>();
    for (UsageRecord record : records) {
      for (ContentItem item : record.items()) {
        counts.merge(item, 1, Integer::sum);
      }
    }
    return counts;
  }

  /** Bytes of every item some record names, each counted once. */
  public long contentBytes() {
    return references().keySet().stream().mapToLong(ContentItem::size).sum();
  }

  /** The space policies measure and {@code du} totals: content plus metadata. */
  public long usedBytes() {
    return contentBytes() + metadataBytes;
  }

  /** Bytes of {@code record}'s items no other record names: what removing it frees. */
  public long privateBytes(UsageRecord record) {
    Map<ContentItem, Integer> counts = references();
    return record.items().stream().filter(item -> counts.getOrDefault(item, 0) <= 1)
        .mapToLong(ContentItem::size).sum();
  }
}
