package io.slipway.registry.api;

import io.slipway.oci.Digest;
import io.slipway.registry.ErrorCode;
import io.slipway.registry.Exchange;
import io.slipway.registry.Registry;
import io.slipway.registry.RegistryException;
import io.slipway.registry.meta.UploadSession;
import io.slipway.store.blob.BlobDigestMismatchException;
import io.slipway.store.blob.BlobSizeMismatchException;
import io.slipway.store.blob.BlobWriter;
import io.slipway.store.blob.IngestInUseException;
import io.slipway.store.blob.IngestNotFoundException;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The steps the upload wire calls share: find a session, append a chunk, commit. Stateless. */
final class Uploads {
  private static final Pattern UPLOAD_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final Pattern CONTENT_RANGE =
      Pattern.compile("(?:bytes[ =])?(\\d+)-(\\d+)(?:/(?:\\d+|\\*))?");

  private Uploads() {}

  /** The session named by the path, in the path's repository, or 404 BLOB_UPLOAD_UNKNOWN. */
  static UploadSession require(Registry registry, Exchange exchange) {
    String id = exchange.reference();
    if (UPLOAD_ID.matcher(id).matches()) {
      var session = registry.metadata().upload(id);
      if (session.isPresent() && session.get().repository().equals(exchange.name())) {
        return session.get();
      }
    }
    throw RegistryException.of(
        ErrorCode.BLOB_UPLOAD_UNKNOWN,
        "no upload " + abbreviate(id) + " in repository " + exchange.name()
            + "; start one with POST /v2/" + exchange.name() + "/blobs/uploads/");
  }

  /** Claims the session for this request; a second concurrent writer gets 416. */
  static void claim(Registry registry, Exchange exchange, UploadSession session) {
    if (!registry.claimUpload(session.id())) {
      throw RegistryException.of(
              ErrorCode.RANGE_INVALID,
              "upload " + session.id() + " is being written by another request")
          .withHeader("Location", location(exchange.name(), session.id()));
    }
  }

  /**
   * Reopens the session's ingest. A session whose data vanished is forgotten, then 404; one that
   * another writer holds (another process sharing the store) is 416, as a concurrent chunk is.
   */
  static BlobWriter writer(Registry registry, Exchange exchange, UploadSession session)
      throws IOException {
    try {
      return registry.blobs().resumeWriter(session.id());
    } catch (IngestNotFoundException e) {
      registry.metadata().deleteUpload(session.id());
      throw RegistryException.of(
          ErrorCode.BLOB_UPLOAD_UNKNOWN,
          "upload " + session.id() + " lost its data; start the upload again");
    } catch (IngestInUseException e) {
      throw RegistryException.of(
              ErrorCode.RANGE_INVALID,
              "upload " + session.id() + " is being written by another request")
          .withHeader("Location", location(exchange.name(), session.id()));
    }
  }

  static String location(String name, String id) {
    return "/v2/" + name + "/blobs/uploads/" + id;
  }

  /** The spec's inclusive {@code Range} of received bytes; distribution sends 0-0 when empty. */
  static String range(long size) {
    return "0-" + Math.max(0, size - 1);
  }

  /**
   * Appends the request body. With {@code Content-Range} the chunk must start exactly where the
   * upload ends and its length must match; a gap or an overlap is 416 with the current Range, and
   * nothing is written.
   */
  static void appendBody(Exchange exchange, BlobWriter writer) throws IOException {
    String contentRange = exchange.header("Content-Range").orElse(null);
    long limit = -1;
    if (contentRange != null) {
      Matcher matcher = CONTENT_RANGE.matcher(contentRange.strip());
      long current = writer.size();
      RegistryException outOfOrder =
          RegistryException.of(
                  ErrorCode.RANGE_INVALID,
                  "chunk " + contentRange + " does not continue the upload, which holds bytes "
                      + range(current) + " (" + current + " bytes); send the chunk starting at "
                      + current)
              .withHeader("Range", range(current))
              .withHeader("Location", location(exchange.name(), writer.id()));
      if (!matcher.matches()) {
        throw outOfOrder;
      }
      long start = Long.parseLong(matcher.group(1));
      long end = Long.parseLong(matcher.group(2));
      if (start != current || end < start) {
        throw outOfOrder;
      }
      limit = end - start + 1;
      long declared = exchange.contentLength();
      if (declared >= 0 && declared != limit) {
        throw RegistryException.of(
                ErrorCode.RANGE_INVALID,
                "Content-Range " + contentRange + " covers " + limit + " bytes but Content-Length is "
                    + declared)
            .withHeader("Range", range(current));
      }
    }
    exchange.copyBodyTo(writer, limit);
  }

  /**
   * Commits the writer under {@code digest} and links the blob into the repository. A mismatch
   * deletes the data (the store's contract) and answers 400 DIGEST_INVALID or SIZE_INVALID.
   */
  static void commit(Registry registry, Exchange exchange, BlobWriter writer, Digest digest)
      throws IOException {
    long size = writer.size();
    // Pinned from before the blob is in place until its link is committed, so a concurrent GC
    // cannot delete it in between (it would look unreferenced).
    var pin = registry.pins().pin(digest);
    try {
      commitAndLink(registry, exchange, writer, digest, size);
    } finally {
      pin.close();
    }
  }

  private static void commitAndLink(
      Registry registry, Exchange exchange, BlobWriter writer, Digest digest, long size)
      throws IOException {
    try {
      writer.commit(digest, -1);
    } catch (BlobDigestMismatchException e) {
      throw RegistryException.of(
          ErrorCode.DIGEST_INVALID,
          "uploaded content hashes to " + e.actual() + ", not " + digest + "; nothing was stored",
          Map.of("digest", digest.toString(), "actual", e.actual().toString()));
    } catch (BlobSizeMismatchException e) {
      throw RegistryException.of(ErrorCode.SIZE_INVALID, e.getMessage());
    }
    registry.metadata().linkBlob(exchange.name(), digest, size);
  }

  /** Answers 201 Created for a blob now in the repository. */
  static void sendCreated(Exchange exchange, Digest digest) throws IOException {
    exchange.setHeader("Location", "/v2/" + exchange.name() + "/blobs/" + digest);
    exchange.setHeader("Docker-Content-Digest", digest.toString());
    exchange.sendEmpty(201);
  }

  /** Answers with the upload's location and progress. */
  static void sendProgress(Exchange exchange, int status, String id, long size)
      throws IOException {
    exchange.setHeader("Location", location(exchange.name(), id));
    exchange.setHeader("Range", range(size));
    exchange.setHeader("Docker-Upload-UUID", id);
    exchange.sendEmpty(status);
  }

  static void touch(Registry registry, String id) {
    registry.metadata().touchUpload(id, Instant.now());
  }

  private static String abbreviate(String text) {
    return text.length() <= 80 ? text : text.substring(0, 77) + "...";
  }
}
