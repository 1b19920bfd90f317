package io.slipway.registry.api;

import io.slipway.oci.Digest;
import io.slipway.oci.DigestAlgorithm;
import io.slipway.registry.ErrorCode;
import io.slipway.registry.Exchange;
import io.slipway.registry.Registry;
import io.slipway.registry.RegistryException;
import io.slipway.registry.RepositoryNames;
import io.slipway.registry.WireCall;
import io.slipway.registry.meta.UploadSession;
import io.slipway.store.blob.BlobWriter;
import io.slipway.store.blob.StoreKey;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

/**
 * Starts a blob upload, in one of three ways: a monolithic upload ({@code ?digest=}, the body is
 * the blob, 201); a cross-repository mount ({@code ?mount=&from=}, 201 when the blob is visible in
 * {@code from}, or anywhere when {@code from} is absent, else an ordinary session); or a session
 * for PATCH/PUT (202 with its Location and {@code OCI-Chunk-Min-Length}). Thread-safe.
 */
// POST /v2/<name>/blobs/uploads/
// POST /v2/<name>/blobs/uploads/?digest=<digest>
// POST /v2/<name>/blobs/uploads/?mount=<digest>&from=<other name>
public final class BlobUploadStart implements WireCall {
  private final Registry registry;

  public BlobUploadStart(Registry registry) {
    this.registry = registry;
  }

  @Override
  public void serve(Exchange exchange) throws Exception {
    Optional<String> algorithm = exchange.query("digest-algorithm");
    if (algorithm.isPresent() && DigestAlgorithm.byOciName(algorithm.get()).isEmpty()) {
      throw RegistryException.of(
          ErrorCode.DIGEST_INVALID,
          "digest-algorithm " + algorithm.get() + " is not supported; use sha256 or sha512");
    }
    Optional<String> mount = exchange.query("mount");
    if (mount.isPresent()) {
      Digest digest = Exchange.parseDigest(mount.get());
      if (mount(exchange, digest)) {
        exchange.drainBody();
        Uploads.sendCreated(exchange, digest);
        return;
      }
    }
    Optional<String> digestParameter = exchange.query("digest");
    if (digestParameter.isPresent() && mount.isEmpty()) {
      monolithic(exchange, Exchange.parseDigest(digestParameter.get()));
      return;
    }
    exchange.drainBody();
    String id;
    DigestAlgorithm hashing =
        algorithm.flatMap(DigestAlgorithm::byOciName).orElse(DigestAlgorithm.SHA256);
    // The ingest hashes with the algorithm the client announced, so the final PUT needs no
    // second pass over the data.
    try (BlobWriter writer = registry.blobs().newWriter(hashing)) {
      id = writer.id();
    }
    Instant now = Instant.now();
    registry.metadata().createUpload(new UploadSession(id, exchange.name(), now, now));
    // Lets a client on the same content store recognise it and close the upload with a store
    // proof instead of bytes (StoreLink); the fingerprint reveals nothing of the key.
    registry.blobs().key()
        .ifPresent(key -> exchange.setHeader(StoreKey.FINGERPRINT_HEADER, key.fingerprint()));
    long minChunk = registry.config().chunkMinLength();
    if (minChunk > 0) {
      exchange.setHeader("OCI-Chunk-Min-Length", Long.toString(minChunk));
    }
    Uploads.sendProgress(exchange, 202, id, 0);
  }

  private boolean mount(Exchange exchange, Digest digest) throws IOException {
    // Pinned from the check until the link is committed: GC must not delete the blob between.
    var pin = registry.pins().pin(digest);
    try {
      return mountPinned(exchange, digest);
    } finally {
      pin.close();
    }
  }

  private boolean mountPinned(Exchange exchange, Digest digest) throws IOException {
    Optional<String> from = exchange.query("from");
    Optional<Long> size;
    if (from.isPresent()) {
      String source = RepositoryNames.check(from.get());
      // Mounting reads the source: without pull on it, start a normal upload (202) and say
      // nothing about whether the blob exists there.
      if (!mayReadFrom(exchange, source)) {
        return false;
      }
      size = registry.metadata().linkedBlobSize(source, digest);
    } else {
      // Mount from a repository holding the blob, but only one this caller may pull; otherwise
      // a normal upload, so guessing digests reveals nothing.
      size =
          registry
              .metadata()
              .repositoryLinking(digest)
              .filter(repository -> mayReadFrom(exchange, repository))
              .flatMap(repository -> registry.metadata().linkedBlobSize(repository, digest));
    }
    if (size.isEmpty() || !registry.blobs().exists(digest)) {
      return false;
    }
    registry.metadata().linkBlob(exchange.name(), digest, size.get());
    return true;
  }

  private boolean mayReadFrom(Exchange exchange, String source) {
    return registry.authorizer().mayPull(exchange.caller(), source);
  }

  private void monolithic(Exchange exchange, Digest digest) throws IOException {
    BlobWriter writer = registry.blobs().newTemporaryWriter(digest.algorithm());
    try {
      exchange.copyBodyTo(writer, -1);
    } catch (IOException | RuntimeException e) {
      // A truncated body leaves nothing behind: a monolithic upload cannot be resumed.
      writer.abort();
      throw e;
    }
    // Even when the store already holds this digest the body was hashed and is checked here:
    // linking on the client's word alone would let anyone read other repositories' blobs by
    // guessing digests. On a mismatch the store's commit deletes the data itself.
    Uploads.commit(registry, exchange, writer, digest);
    Uploads.sendCreated(exchange, digest);
  }
}
