package io.slipway.client;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Settings of a {@link RegistryClient}. Plain HTTP is allowed only for registries listed as
 * insecure and for {@code localhost} and loopback addresses (as docker does), and used for them only
 * when they answer HTTPS in plain HTTP ({@link RegistrySchemes}); everything else is HTTPS with the
 * JDK's trust store, certificates always verified. Every network wait has a deadline: {@code connectTimeout} to connect,
 * {@code requestTimeout} until response headers arrive, {@code idleTimeout} between bytes of a
 * body. {@code caFile} (may be null) is a PEM file of extra CA certificates to trust besides the
 * JDK's trust store. Immutable.
 */
public record ClientSettings(
    Set<String> insecureRegistries,
    Duration connectTimeout,
    Duration requestTimeout,
    Duration idleTimeout,
    int maxConcurrentTransfers,
    long monolithicUploadLimit,
    long chunkSize,
    long maxManifestSize,
    RetryPolicy retry,
    Path caFile) {

  public ClientSettings {
    insecureRegistries = insecureRegistries.stream()
        .map(r -> r.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    Objects.requireNonNull(retry, "retry");
    if (maxConcurrentTransfers < 1 || chunkSize < 1 || maxManifestSize < 1) {
      throw new IllegalArgumentException("concurrency, chunk size and manifest limit must be positive");
    }
  }

  /**
   * 10 s to connect, 60 s for headers, 60 s idle; 6 parallel transfers; blobs up to 32 MiB in one
   * request, larger ones in 16 MiB chunks; manifests up to 4 MiB (distribution's limit).
   */
  public static ClientSettings defaults() {
    return new ClientSettings(Set.of(), Duration.ofSeconds(10), Duration.ofSeconds(60),
        Duration.ofSeconds(60), 6, 32L << 20, 16L << 20, 4L << 20, RetryPolicy.defaults(), null);
  }

  public ClientSettings withInsecure(Set<String> registries) {
    return new ClientSettings(registries, connectTimeout, requestTimeout, idleTimeout,
        maxConcurrentTransfers, monolithicUploadLimit, chunkSize, maxManifestSize, retry, caFile);
  }

  public ClientSettings withRetry(RetryPolicy policy) {
    return new ClientSettings(insecureRegistries, connectTimeout, requestTimeout, idleTimeout,
        maxConcurrentTransfers, monolithicUploadLimit, chunkSize, maxManifestSize, policy, caFile);
  }

  public ClientSettings withUploads(long monolithicLimit, long chunk) {
    return new ClientSettings(insecureRegistries, connectTimeout, requestTimeout, idleTimeout,
        maxConcurrentTransfers, monolithicLimit, chunk, maxManifestSize, retry, caFile);
  }

  public ClientSettings withTimeouts(Duration request, Duration idle) {
    return new ClientSettings(insecureRegistries, connectTimeout, request, idle,
        maxConcurrentTransfers, monolithicUploadLimit, chunkSize, maxManifestSize, retry, caFile);
  }

  public ClientSettings withCaFile(Path file) {
    return new ClientSettings(insecureRegistries, connectTimeout, requestTimeout, idleTimeout,
        maxConcurrentTransfers, monolithicUploadLimit, chunkSize, maxManifestSize, retry, file);
  }

  public ClientSettings withConcurrency(int transfers) {
    return new ClientSettings(insecureRegistries, connectTimeout, requestTimeout, idleTimeout,
        transfers, monolithicUploadLimit, chunkSize, maxManifestSize, retry, caFile);
  }

  /** True when {@code registry} may be spoken to in plain HTTP: marked insecure, or loopback. */
  public boolean allowsPlainHttp(String registry) {
    String lower = registry.toLowerCase(Locale.ROOT);
    if (insecureRegistries.contains(lower)) {
      return true;
    }
    String host = lower.startsWith("[") ? lower.substring(0, lower.indexOf(']') + 1)
        : lower.contains(":") ? lower.substring(0, lower.lastIndexOf(':')) : lower;
    return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]");
  }
}
