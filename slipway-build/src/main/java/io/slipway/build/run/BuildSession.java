package io.slipway.build.run;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What the user handed the build for its RUN steps and nothing else: secrets, SSH agent sockets
 * ({@code --ssh default=$SSH_AUTH_SOCK}) by id, and the entitlements granted
 * ({@code --allow security.insecure}, {@code --allow network.host}). None of it is part of a cache key. Immutable.
 */
public record BuildSession(
    SecretStore secrets, Map<String, Path> sshAgents, Set<Entitlement> entitlements) {

  public BuildSession {
    Objects.requireNonNull(secrets, "secrets");
    sshAgents = Map.copyOf(sshAgents);
    entitlements = Set.copyOf(entitlements);
  }

  /** No secrets, no SSH agents, no entitlements. */
  public static BuildSession empty() {
    return new BuildSession(SecretStore.none(), Map.of(), Set.of());
  }

  /** Build entitlements a RUN step may need. */
  public enum Entitlement {
    /** {@code security.insecure}: allows {@code RUN --security=insecure}. */
    SECURITY_INSECURE,
    /** {@code network.host}: allows {@code RUN --network=host}, as the reference builder asks. */
    NETWORK_HOST
  }
}
