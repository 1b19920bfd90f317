package io.slipway.client;

import io.slipway.client.auth.RegistryHosts;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A repository on a registry, the unit every wire call addresses: {@code registry} is {@code
 * host[:port]} ({@code docker.io} for Docker Hub), {@code name} the path such as {@code
 * library/busybox}. Immutable.
 */
public record Repository(String registry, String name) {
  // distribution's path-component grammar, joined by "/".
  private static final Pattern NAME = Pattern.compile(
      "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");

  public Repository {
    registry = RegistryHosts.normalize(Objects.requireNonNull(registry, "registry"));
    Objects.requireNonNull(name, "name");
    if (!NAME.matcher(name).matches() || name.length() > 255) {
      throw new IllegalArgumentException("repository name \"" + name
          + "\" is not lowercase path components joined by \"/\"");
    }
  }

  public static Repository of(String registry, String name) {
    return new Repository(registry, name);
  }

  @Override
  public String toString() {
    return registry + "/" + name;
  }
}
