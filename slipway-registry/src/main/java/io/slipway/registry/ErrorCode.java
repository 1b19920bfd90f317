package io.slipway.registry;

/**
 * The error codes of the OCI Distribution Spec (and the few that distribution adds), each with
 * the HTTP status it is normally sent with. Immutable.
 */
public enum ErrorCode {
  BLOB_UNKNOWN(404, "blob unknown to registry"),
  BLOB_UPLOAD_INVALID(400, "blob upload invalid"),
  BLOB_UPLOAD_UNKNOWN(404, "blob upload unknown to registry"),
  DIGEST_INVALID(400, "provided digest did not match uploaded content"),
  MANIFEST_BLOB_UNKNOWN(404, "manifest references a manifest or blob unknown to registry"),
  MANIFEST_INVALID(400, "manifest invalid"),
  MANIFEST_UNKNOWN(404, "manifest unknown to registry"),
  NAME_INVALID(400, "invalid repository name"),
  NAME_UNKNOWN(404, "repository name not known to registry"),
  SIZE_INVALID(400, "provided length did not match content length"),
  UNAUTHORIZED(401, "authentication required"),
  DENIED(403, "requested access to the resource is denied"),
  UNSUPPORTED(405, "the operation is unsupported"),
  TOOMANYREQUESTS(429, "too many requests"),
  /** From distribution: a tag that does not follow the tag grammar. */
  TAG_INVALID(400, "invalid tag"),
  /** From distribution: an invalid {@code n} or {@code last} query parameter. */
  PAGINATION_NUMBER_INVALID(400, "invalid number of results requested"),
  /** From distribution: a {@code Range} or {@code Content-Range} the registry cannot satisfy. */
  RANGE_INVALID(416, "invalid content range"),
  /** Something failed inside the registry; the message says what. */
  INTERNAL(500, "internal server error");

  private final int status;
  private final String message;

  ErrorCode(int status, String message) {
    this.status = status;
    this.message = message;
  }

  /** The HTTP status this code is sent with unless the wire call says otherwise. */
  public int status() {
    return status;
  }

  /** The spec's short message for this code. */
  public String message() {
    return message;
  }
}
