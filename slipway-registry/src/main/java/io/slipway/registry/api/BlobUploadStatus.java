package io.slipway.registry.api;

import io.slipway.registry.Exchange;
import io.slipway.registry.Registry;
import io.slipway.registry.WireCall;
import io.slipway.registry.meta.UploadSession;
import io.slipway.store.blob.BlobWriter;

/**
 * Reports how much of an upload the registry holds (204 with {@code Range}), so a client can
 * resume after a failed chunk. Thread-safe.
 */
// GET /v2/<name>/blobs/uploads/<id>
public final class BlobUploadStatus implements WireCall {
  private final Registry registry;

  public BlobUploadStatus(Registry registry) {
    this.registry = registry;
  }

  @Override
  public void serve(Exchange exchange) throws Exception {
    UploadSession session = Uploads.require(registry, exchange);
    Uploads.claim(registry, exchange, session);
    long size;
    try {
      BlobWriter writer = Uploads.writer(registry, exchange, session);
      size = writer.size();
      registry.parkWriter(writer);
    } finally {
      registry.releaseUpload(session.id());
    }
    Uploads.sendProgress(exchange, 204, session.id(), size);
  }
}
