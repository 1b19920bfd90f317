package io.slipway.registry.api;

import io.slipway.oci.Digest;
import io.slipway.registry.ErrorCode;
import io.slipway.registry.Exchange;
import io.slipway.registry.Registry;
import io.slipway.registry.RegistryException;
import io.slipway.registry.WireCall;

/**
 * Deletes a manifest by digest (with every tag pointing at it), or removes one tag when the
 * reference is a tag, keeping the manifest. 202 on success, 405 when deletes are disabled.
 * Thread-safe.
 */
// DELETE /v2/<name>/manifests/<reference>
public final class ManifestDelete implements WireCall {
  private final Registry registry;

  public ManifestDelete(Registry registry) {
    this.registry = registry;
  }

  @Override
  public void serve(Exchange exchange) throws Exception {
    Deletes.requireEnabled(registry);
    String reference = exchange.reference();
    ManifestReferences.check(reference);
    boolean deleted =
        ManifestReferences.isDigest(reference)
            ? registry.metadata().deleteManifest(exchange.name(), Digest.parse(reference), exchange.actor())
            : registry.metadata().deleteTag(exchange.name(), reference, exchange.actor());
    if (!deleted) {
      throw RegistryException.of(
          ErrorCode.MANIFEST_UNKNOWN,
          "manifest " + reference + " is not in repository " + exchange.name());
    }
    exchange.sendEmpty(202);
  }
}
