package io.slipway.client.auth;

import io.slipway.oci.reference.Reference;
import java.util.Locale;
import java.util.Set;

/**
 * Normalizes the registry names found in credential files and on the command line, so that {@code
 * https://index.docker.io/v1/}, {@code index.docker.io} and {@code docker.io} all mean Docker Hub.
 * Stateless and thread-safe.
 */
public final class RegistryHosts {
  /** The canonical name of Docker Hub. */
  public static final String DOCKER_HUB = Reference.DOCKER_HUB;

  /** The key docker writes Docker Hub credentials under, and passes to credential helpers. */
  public static final String DOCKER_HUB_LEGACY_KEY = "https://index.docker.io/v1/";

  private static final Set<String> DOCKER_HUB_ALIASES =
      Set.of("docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com");

  private RegistryHosts() {}

  /** {@code host[:port]} in lowercase, without scheme or path, Docker Hub aliases folded. */
  public static String normalize(String registry) {
    String host = registry.trim();
    int scheme = host.indexOf("://");
    if (scheme >= 0) {
      host = host.substring(scheme + 3);
    }
    int slash = host.indexOf('/');
    if (slash >= 0) {
      host = host.substring(0, slash);
    }
    host = host.toLowerCase(Locale.ROOT);
    return DOCKER_HUB_ALIASES.contains(host) ? DOCKER_HUB : host;
  }

  /** The host name to connect to: Docker Hub's API lives on {@code registry-1.docker.io}. */
  public static String apiHost(String registry) {
    String host = normalize(registry);
    return host.equals(DOCKER_HUB) ? Reference.DOCKER_HUB_API_HOST : host;
  }

  /** The server URL docker uses as key in config.json and with credential helpers. */
  public static String serverUrl(String registry) {
    String host = normalize(registry);
    return host.equals(DOCKER_HUB) ? DOCKER_HUB_LEGACY_KEY : host;
  }
}
