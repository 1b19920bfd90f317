package io.slipway.registry.api;

import io.slipway.oci.Digest;
import io.slipway.registry.ErrorCode;
import io.slipway.registry.Exchange;
import io.slipway.registry.Registry;
import io.slipway.registry.RegistryException;
import io.slipway.registry.WireCall;
import io.slipway.registry.meta.UploadSession;
import io.slipway.store.blob.BlobWriter;

/**
 * Completes an upload: appends the optional last chunk, checks the whole content against
 * {@code ?digest=}, stores it and links it into the repository (201). On a digest mismatch the
 * data is deleted and the session forgotten (400 DIGEST_INVALID). Thread-safe.
 */
// PUT /v2/<name>/blobs/uploads/<id>?digest=<digest>
// PUT /v2/<name>/blobs/uploads/<id>?digest=<digest>&store-proof=<hmac> (see StoreLink)
public final class BlobUploadPut implements WireCall {
  private final Registry registry;

  public BlobUploadPut(Registry registry) {
    this.registry = registry;
  }

  @Override
  public void serve(Exchange exchange) throws Exception {
    UploadSession session = Uploads.require(registry, exchange);
    Digest digest =
        Exchange.parseDigest(
            exchange
                .query("digest")
                .orElseThrow(
                    () ->
                        RegistryException.of(
                            ErrorCode.DIGEST_INVALID,
                            "closing an upload needs ?digest=<digest> of the whole blob")));
    var proof = StoreLink.proof(exchange);
    if (proof.isPresent()) {
      StoreLink.close(registry, exchange, session, digest, proof.get());
      return;
    }
    Uploads.claim(registry, exchange, session);
    try (BlobWriter writer = Uploads.writer(registry, exchange, session)) {
      // A failed last chunk leaves the upload resumable: closing the writer keeps its data.
      Uploads.appendBody(exchange, writer);
      try {
        Uploads.commit(registry, exchange, writer, digest);
      } finally {
        // Committed or rejected, the ingest is gone (the store deletes it on a mismatch).
        registry.metadata().deleteUpload(session.id());
      }
    } finally {
      registry.releaseUpload(session.id());
    }
    Uploads.sendCreated(exchange, digest);
  }
}
