package io.slipway.registry.api;

import io.slipway.registry.ErrorCode;
import io.slipway.registry.Registry;
import io.slipway.registry.RegistryException;

/** The check every DELETE call makes first. Stateless. */
final class Deletes {
  private Deletes() {}

  static void requireEnabled(Registry registry) {
    if (!registry.config().deletesEnabled()) {
      throw RegistryException.of(
          ErrorCode.UNSUPPORTED,
          "deletes are disabled on this registry (set storage.delete.enabled: true to allow them)");
    }
  }
}
