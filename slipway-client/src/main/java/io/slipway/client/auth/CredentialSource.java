package io.slipway.client.auth;

import java.io.IOException;

/**
 * Where credentials for a registry come from. Implementations must be safe for concurrent use and
 * bound the time a look-up can take.
 */
@FunctionalInterface
public interface CredentialSource {

  /**
   * The credential for {@code registry} (a host, optionally with port; {@code docker.io} for
   * Docker Hub), or {@link Credential.Anonymous} when none is configured.
   */
  Credential lookup(String registry) throws IOException, InterruptedException;

  /** A source that always answers anonymous. */
  static CredentialSource anonymous() {
    return registry -> new Credential.Anonymous();
  }
}
