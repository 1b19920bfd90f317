package io.slipway.registry.api;

import io.slipway.registry.ErrorCode;
import io.slipway.registry.Exchange;
import io.slipway.registry.Registry;
import io.slipway.registry.RegistryException;
import io.slipway.registry.WireCall;
import io.slipway.registry.meta.UploadSession;
import io.slipway.store.blob.IngestStatus;
import java.util.Optional;

/**
 * Reports how much of an upload the registry holds (204 with {@code Range}), so a client can
 * resume after a failed chunk. Reads the ingest's size without opening it, so it answers even
 * while a chunk is being written. Thread-safe.
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
    Optional<IngestStatus> ingest = registry.blobs().ingest(session.id());
    if (ingest.isEmpty()) {
      registry.metadata().deleteUpload(session.id());
      throw RegistryException.of(
          ErrorCode.BLOB_UPLOAD_UNKNOWN,
          "upload " + session.id() + " lost its data; start the upload again");
    }
    Uploads.sendProgress(exchange, 204, session.id(), ingest.get().size());
  }
}
