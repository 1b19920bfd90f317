package io.slipway.registry;

import io.slipway.registry.auth.Authorizer;
import io.slipway.registry.meta.RegistryMetadata;
import io.slipway.store.blob.BlobStore;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What every wire call works on: the blob store, the metadata, the configuration, the authorizer,
 * and the set of upload sessions a request is writing right now. Safe for concurrent use; the parts are.
 */
public final class Registry {
  private final BlobStore blobs;
  private final RegistryMetadata metadata;
  private final RegistryConfig config;
  private final Authorizer authorizer;
  private final Set<String> uploadsInUse = ConcurrentHashMap.newKeySet();
  private final io.slipway.registry.gc.BlobPins pins = new io.slipway.registry.gc.BlobPins();
  /** 32 MiB of manifests: thousands of typical ones, so hot tags are served from memory. */
  private final ManifestCache manifests = new ManifestCache(32L * 1024 * 1024);

  /** A registry without access control. */
  public Registry(BlobStore blobs, RegistryMetadata metadata, RegistryConfig config) {
    this(blobs, metadata, config, Authorizer.disabled());
  }

  /** A registry whose router asks {@code authorizer} before every call. */
  public Registry(
      BlobStore blobs, RegistryMetadata metadata, RegistryConfig config, Authorizer authorizer) {
    this.blobs = blobs;
    this.metadata = metadata;
    this.config = config;
    this.authorizer = authorizer;
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

  /** Decides who may do what; allows everything when auth is disabled. */
  public Authorizer authorizer() {
    return authorizer;
  }

  /** The digests pushes in flight are touching, which garbage collection must not delete. */
  public io.slipway.registry.gc.BlobPins pins() {
    return pins;
  }

  /** Verified manifest bytes by digest, shared by every repository's GETs. */
  public ManifestCache manifests() {
    return manifests;
  }

  /**
   * Claims an upload session for one request without waiting: false when another request is
   * writing it. A claim, not a lock: nobody ever blocks on it, so a hung client cannot stall others.
   */
  public boolean claimUpload(String id) {
    return uploadsInUse.add(id);
  }

  /** Releases a claim taken with {@link #claimUpload}. */
  public void releaseUpload(String id) {
    uploadsInUse.remove(id);
  }
}
