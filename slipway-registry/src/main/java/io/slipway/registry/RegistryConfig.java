package io.slipway.registry;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How a registry runs: where it listens, where its state lives, and its limits. The CLI builds one
 * from flags and the YAML file; tests build one with {@link #defaults(Path)} and the {@code with}
 * methods. Immutable.
 *
 * @param host address to listen on
 * @param port port to listen on, 0 for an ephemeral one
 * @param root directory holding blobs, ingests and the metadata database
 * @param tlsCertificate PEM certificate chain for HTTPS, or null for plain HTTP
 * @param tlsKey PEM PKCS#8 private key for HTTPS, or null
 * @param deletesEnabled whether DELETE on manifests, tags and blobs is allowed (405 otherwise)
 * @param maxManifestBytes largest manifest accepted (413 beyond)
 * @param chunkMinLength advertised as {@code OCI-Chunk-Min-Length} when positive
 * @param uploadMaxIdle upload sessions idle this long are purged
 * @param idleTimeout a connection that moves no bytes this long is closed
 * @param accessLog whether to log one line per request
 */
public record RegistryConfig(
    String host,
    int port,
    Path root,
    Path tlsCertificate,
    Path tlsKey,
    boolean deletesEnabled,
    long maxManifestBytes,
    long chunkMinLength,
    Duration uploadMaxIdle,
    Duration idleTimeout,
    boolean accessLog) {

  /** 4 MiB, the limit distribution and most clients assume. */
  public static final long DEFAULT_MAX_MANIFEST_BYTES = 4L * 1024 * 1024;

  public RegistryConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(uploadMaxIdle, "uploadMaxIdle");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    if ((tlsCertificate == null) != (tlsKey == null)) {
      throw new IllegalArgumentException("TLS needs both a certificate and a key");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is outside 0-65535");
    }
  }

  /** Loopback port 5000, deletes enabled, 4 MiB manifests, uploads purged after 24 h idle. */
  public static RegistryConfig defaults(Path root) {
    return new RegistryConfig(
        "127.0.0.1", 5000, root, null, null, true, DEFAULT_MAX_MANIFEST_BYTES, 0,
        Duration.ofHours(24), Duration.ofSeconds(60), true);
  }

  public RegistryConfig withAddress(String newHost, int newPort) {
    return new RegistryConfig(newHost, newPort, root, tlsCertificate, tlsKey, deletesEnabled,
        maxManifestBytes, chunkMinLength, uploadMaxIdle, idleTimeout, accessLog);
  }

  public RegistryConfig withRoot(Path newRoot) {
    return new RegistryConfig(host, port, newRoot, tlsCertificate, tlsKey, deletesEnabled,
        maxManifestBytes, chunkMinLength, uploadMaxIdle, idleTimeout, accessLog);
  }

  public RegistryConfig withTls(Path certificate, Path key) {
    return new RegistryConfig(host, port, root, certificate, key, deletesEnabled,
        maxManifestBytes, chunkMinLength, uploadMaxIdle, idleTimeout, accessLog);
  }

  public RegistryConfig withDeletesEnabled(boolean enabled) {
    return new RegistryConfig(host, port, root, tlsCertificate, tlsKey, enabled,
        maxManifestBytes, chunkMinLength, uploadMaxIdle, idleTimeout, accessLog);
  }

  public RegistryConfig withMaxManifestBytes(long bytes) {
    return new RegistryConfig(host, port, root, tlsCertificate, tlsKey, deletesEnabled,
        bytes, chunkMinLength, uploadMaxIdle, idleTimeout, accessLog);
  }

  public RegistryConfig withChunkMinLength(long bytes) {
    return new RegistryConfig(host, port, root, tlsCertificate, tlsKey, deletesEnabled,
        maxManifestBytes, bytes, uploadMaxIdle, idleTimeout, accessLog);
  }

  public RegistryConfig withUploadMaxIdle(Duration maxIdle) {
    return new RegistryConfig(host, port, root, tlsCertificate, tlsKey, deletesEnabled,
        maxManifestBytes, chunkMinLength, maxIdle, idleTimeout, accessLog);
  }

  public RegistryConfig withIdleTimeout(Duration timeout) {
    return new RegistryConfig(host, port, root, tlsCertificate, tlsKey, deletesEnabled,
        maxManifestBytes, chunkMinLength, uploadMaxIdle, timeout, accessLog);
  }

  public RegistryConfig withAccessLog(boolean enabled) {
    return new RegistryConfig(host, port, root, tlsCertificate, tlsKey, deletesEnabled,
        maxManifestBytes, chunkMinLength, uploadMaxIdle, idleTimeout, enabled);
  }
}
