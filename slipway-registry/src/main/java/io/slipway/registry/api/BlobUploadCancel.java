package io.slipway.registry.api;

import io.slipway.registry.Exchange;
import io.slipway.registry.Registry;
import io.slipway.registry.WireCall;
import io.slipway.registry.meta.UploadSession;
import io.slipway.store.blob.BlobWriter;

/** Abandons an upload: deletes its data and its session (204). Thread-safe. */
// DELETE /v2/<name>/blobs/uploads/<id>
public final class BlobUploadCancel implements WireCall {
  private final Registry registry;

  public BlobUploadCancel(Registry registry) {
    this.registry = registry;
  }

  @Override
  public void serve(Exchange exchange) throws Exception {
    UploadSession session = Uploads.require(registry, exchange);
    Uploads.claim(registry, exchange, session);
    try {
      try (BlobWriter writer = Uploads.writer(registry, exchange, session)) {
        writer.abort();
      }
      registry.metadata().deleteUpload(session.id());
    } finally {
      registry.releaseUpload(session.id());
    }
    exchange.sendEmpty(204);
  }
}
