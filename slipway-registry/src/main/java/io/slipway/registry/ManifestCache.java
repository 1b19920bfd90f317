package io.slipway.registry;

import io.slipway.oci.Digest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Recently served manifest bytes by digest, bounded in total size. Content addressing makes this
 * safe without invalidation: the bytes of a digest never change, and whether a repository may see
 * them is still decided by the metadata on every request. Safe for concurrent use; the monitor
 * guards only map operations, never I/O.
 */
public final class ManifestCache {
  private final long capacityBytes;
  private final LinkedHashMap<Digest, byte[]> entries = new LinkedHashMap<>(256, 0.75f, true);
  private long sizeBytes;

  /** A cache holding at most {@code capacityBytes} of manifests. */
  public ManifestCache(long capacityBytes) {
    this.capacityBytes = capacityBytes;
  }

  /** The cached bytes of {@code digest}. The caller must not modify them. */
  public synchronized Optional<byte[]> get(Digest digest) {
    return Optional.ofNullable(entries.get(digest));
  }

  /** Remembers verified bytes of {@code digest}, evicting the least recently used. */
  public synchronized void put(Digest digest, byte[] bytes) {
    if (bytes.length > capacityBytes || entries.containsKey(digest)) {
      return;
    }
    entries.put(digest, bytes);
    sizeBytes += bytes.length;
    var iterator = entries.entrySet().iterator();
    while (sizeBytes > capacityBytes && iterator.hasNext()) {
      Map.Entry<Digest, byte[]> eldest = iterator.next();
      sizeBytes -= eldest.getValue().length;
      iterator.remove();
    }
  }
}
