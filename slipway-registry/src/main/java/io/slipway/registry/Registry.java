package io.slipway.registry;

import io.slipway.registry.meta.RegistryMetadata;
import io.slipway.store.blob.BlobStore;
import io.slipway.store.blob.BlobWriter;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What every wire call works on: the blob store, the metadata, the configuration, and the set of
 * upload sessions a request is writing right now. Safe for concurrent use; the parts are.
 */
public final class Registry {
  private final BlobStore blobs;
  private final RegistryMetadata metadata;
  private final RegistryConfig config;
  private final Set<String> uploadsInUse = ConcurrentHashMap.newKeySet();
  private final Map<String, BlobWriter> parkedWriters = new ConcurrentHashMap<>();

  public Registry(BlobStore blobs, RegistryMetadata metadata, RegistryConfig config) {
    this.blobs = blobs;
    this.metadata = metadata;
    this.config = config;
  }

  public BlobStore blobs() {
    return blobs;
  }

  public RegistryMetadata metadata() {
    return metadata;
  }

  public RegistryConfig config() {
    return config;
  }

  /**
   * Claims an upload session for one request without waiting: false when another request is
   * writing it. A claim, not a lock: nobody ever blocks on it, so a hung client cannot stall others.
   */
  public boolean claimUpload(String id) {
    return uploadsInUse.add(id);
  }

  /**
   * The writer of a claimed upload: the one parked by the previous request in this process, or
   * the store's ingest reopened (after a restart). Keeping writers open between chunks spares
   * re-reading the ingest to rebuild its hash on every PATCH.
   */
  public BlobWriter takeWriter(String id) throws IOException {
    BlobWriter parked = parkedWriters.remove(id);
    return parked != null ? parked : blobs.resumeWriter(id);
  }

  /** Keeps a claimed upload's writer open for its next request. */
  public void parkWriter(BlobWriter writer) {
    parkedWriters.put(writer.id(), writer);
  }

  /** Closes a parked writer, if any, keeping its data (used before purging or at shutdown). */
  public void closeParkedWriter(String id) throws IOException {
    BlobWriter parked = parkedWriters.remove(id);
    if (parked != null) {
      parked.close();
    }
  }

  /** Closes every parked writer; their uploads stay resumable after a restart. */
  public void closeParkedWriters() throws IOException {
    for (String id : Set.copyOf(parkedWriters.keySet())) {
      closeParkedWriter(id);
    }
  }

  /** Releases a claim taken with {@link #claimUpload}. */
  public void releaseUpload(String id) {
    uploadsInUse.remove(id);
  }
}
