package io.slipway.registry;

import java.util.Map;
import java.util.Objects;

/**
 * A failure the registry reports to the client as {@code {"errors":[{"code","message","detail"}]}}
 * with an HTTP status. Carries the OCI error code so callers and tests can act on it. Immutable.
 */
public final class RegistryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;
  private final int status;
  private final transient Map<String, String> detail;
  private final transient Map<String, String> headers;

  private RegistryException(
      ErrorCode code, int status, String message, Map<String, String> detail,
      Map<String, String> headers) {
    super(message);
    this.code = Objects.requireNonNull(code);
    this.status = status;
    this.detail = Map.copyOf(detail);
    this.headers = Map.copyOf(headers);
  }

  /** An error with the code's usual status. */
  public static RegistryException of(ErrorCode code, String message) {
    return new RegistryException(code, code.status(), message, Map.of(), Map.of());
  }

  /** An error with the code's usual status and a machine-readable detail object. */
  public static RegistryException of(ErrorCode code, String message, Map<String, String> detail) {
    return new RegistryException(code, code.status(), message, detail, Map.of());
  }

  /** The same error sent with another status, such as 413 for an oversize manifest. */
  public RegistryException withStatus(int newStatus) {
    return new RegistryException(code, newStatus, getMessage(), detail, headers);
  }

  /** The same error with an extra response header, such as {@code Range} on a 416. */
  public RegistryException withHeader(String name, String value) {
    Map<String, String> more = new java.util.HashMap<>(headers);
    more.put(name, value);
    return new RegistryException(code, status, getMessage(), detail, more);
  }

  public ErrorCode code() {
    return code;
  }

  public int status() {
    return status;
  }

  /** Extra fields of the error's {@code detail} object; empty when there are none. */
  public Map<String, String> detail() {
    return detail;
  }

  /** Headers to send with the error response. */
  public Map<String, String> headers() {
    return headers;
  }
}
