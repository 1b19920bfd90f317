package io.slipway.registry.api;

import io.slipway.oci.Digest;
import io.slipway.registry.ErrorCode;
import io.slipway.registry.Exchange;
import io.slipway.registry.Registry;
import io.slipway.registry.RegistryException;
import io.slipway.registry.meta.UploadSession;
import io.slipway.store.blob.BlobWriter;
import io.slipway.store.blob.StoreKey;
import java.io.IOException;
import java.util.Optional;

/**
 * Closes an upload without its bytes for a caller that shares this registry's content store: the
 * builder pushing to a Slipway registry on the same root. The caller proves it holds the store's
 * {@link StoreKey} (an HMAC bound to this upload session and digest); holding it means it can read
 * every blob from disk already, so linking a stored blob into a repository it may push to reveals
 * nothing it could not read. Without a valid proof nothing is linked and the session stays open
 * for an ordinary upload, so the blob-visibility rule (visible only where pushed or mounted, never
 * by guessing a digest) holds for everyone else. Stateless; thread-safe.
 */
final class StoreLink {

  private StoreLink() {}

  /** Whether the request carries a store proof. */
  static Optional<String> proof(Exchange exchange) {
    return exchange.query(StoreKey.PROOF_PARAMETER);
  }

  // PUT /v2/<name>/blobs/uploads/<id>?digest=<digest>&store-proof=<hmac>
  static void close(Registry registry, Exchange exchange, UploadSession session, Digest digest,
      String proof) throws IOException {
    StoreKey key = registry.blobs().key().orElse(null);
    if (key == null || !key.verifyLink(session.id(), digest, proof)) {
      throw RegistryException.of(ErrorCode.DENIED,
          "the store proof does not match this registry's content store; upload the blob's bytes"
              + " to this session instead");
    }
    Uploads.claim(registry, exchange, session);
    try {
      try (BlobWriter writer = Uploads.writer(registry, exchange, session)) {
        if (writer.size() > 0 || exchange.contentLength() > 0) {
          throw RegistryException.of(ErrorCode.BLOB_UPLOAD_INVALID,
              "an upload closed by store proof carries no bytes; this one has some");
        }
        // Pinned from the check until the link is committed: GC must not delete it between.
        var pin = registry.pins().pin(digest);
        try {
          Optional<Long> size = registry.blobs().size(digest);
          if (size.isEmpty()) {
            throw RegistryException.of(ErrorCode.BLOB_UNKNOWN,
                "the shared store has no " + digest + "; upload its bytes to this session");
          }
          registry.metadata().linkBlob(exchange.name(), digest, size.get());
        } finally {
          pin.close();
        }
        writer.abort();
      }
      registry.metadata().deleteUpload(session.id());
    } finally {
      registry.releaseUpload(session.id());
    }
    exchange.drainBody();
    Uploads.sendCreated(exchange, digest);
  }
}
