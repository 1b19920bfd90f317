package io.slipway.registry.api;

import io.slipway.oci.Digest;
import io.slipway.registry.ErrorCode;
import io.slipway.registry.Exchange;
import io.slipway.registry.Registry;
import io.slipway.registry.RegistryException;
import io.slipway.registry.WireCall;

/**
 * Removes a blob from one repository (202). The bytes stay in the store until garbage collection
 * finds no repository or manifest using them. 405 when deletes are disabled. Thread-safe.
 */
// DELETE /v2/<name>/blobs/<digest>
public final class BlobDelete implements WireCall {
  private final Registry registry;

  public BlobDelete(Registry registry) {
    this.registry = registry;
  }

  @Override
  public void serve(Exchange exchange) throws Exception {
    Deletes.requireEnabled(registry);
    Digest digest = Exchange.parseDigest(exchange.reference());
    if (!registry.metadata().unlinkBlob(exchange.name(), digest)) {
      throw RegistryException.of(
          ErrorCode.BLOB_UNKNOWN, "blob " + digest + " is not in repository " + exchange.name());
    }
    exchange.setHeader("Docker-Content-Digest", digest.toString());
    exchange.sendEmpty(202);
  }
}
