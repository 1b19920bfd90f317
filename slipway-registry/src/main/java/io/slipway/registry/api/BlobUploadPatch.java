package io.slipway.registry.api;

import io.slipway.registry.Exchange;
import io.slipway.registry.Registry;
import io.slipway.registry.WireCall;
import io.slipway.registry.meta.UploadSession;
import io.slipway.store.blob.BlobWriter;

/**
 * Appends a chunk to an upload: streamed (no {@code Content-Range}, the whole body appended) or
 * chunked ({@code Content-Range: <start>-<end>}, which must continue exactly where the upload
 * ends; gaps and overlaps are 416). Answers 202 with the new {@code Range} once the bytes are
 * durable. A body cut short keeps what arrived, and the client can resume from the Range a status
 * GET reports. Thread-safe; one request writes a session at a time.
 */
// PATCH /v2/<name>/blobs/uploads/<id>
public final class BlobUploadPatch implements WireCall {
  private final Registry registry;

  public BlobUploadPatch(Registry registry) {
    this.registry = registry;
  }

  @Override
  public void serve(Exchange exchange) throws Exception {
    UploadSession session = Uploads.require(registry, exchange);
    Uploads.claim(registry, exchange, session);
    long size;
    try (BlobWriter writer = Uploads.writer(registry, exchange, session)) {
      try {
        Uploads.appendBody(exchange, writer);
      } finally {
        Uploads.touch(registry, session.id());
      }
      size = writer.size();
    } finally {
      registry.releaseUpload(session.id());
    }
    Uploads.sendProgress(exchange, 202, session.id(), size);
  }
}
