package io.slipway.client;

import io.slipway.client.auth.RegistryHosts;
import io.slipway.oci.reference.Reference;
import io.slipway.oci.reference.RepositoryName;
import java.util.Objects;

/**
 * A repository on a registry, the unit every wire call addresses: {@code registry} is {@code
 * host[:port]} ({@code docker.io} for Docker Hub), {@code name} the repository path such as {@code
 * library/busybox}, checked with the grammar of {@link RepositoryName}. Immutable.
 */
public record Repository(String registry, String name) {

  public Repository {
    registry = RegistryHosts.normalize(Objects.requireNonNull(registry, "registry"));
    name = RepositoryName.parse(Objects.requireNonNull(name, "name")).value();
  }

  public static Repository of(String registry, String name) {
    return new Repository(registry, name);
  }

  /** The repository a parsed reference names. */
  public static Repository of(Reference reference) {
    return new Repository(reference.registry(), reference.repository().value());
  }

  @Override
  public String toString() {
    return registry + "/" + name;
  }
}
