package io.slipway.client;

import java.util.Objects;

/**
 * A registry answered a request with an error that retrying will not fix: the request, the HTTP
 * status, and the first OCI error code of the body ({@code MANIFEST_UNKNOWN}, {@code DENIED}, …;
 * empty when the body had none).
 */
public final class RegistryException extends ClientException {
  private static final long serialVersionUID = 1L;

  private final String request;
  private final int status;
  private final String code;

  public RegistryException(String request, int status, String code, String detail) {
    super(request + ": HTTP " + status + (code.isEmpty() ? "" : " " + code)
        + (detail.isEmpty() ? "" : ": " + detail) + hint(status));
    this.request = Objects.requireNonNull(request);
    this.status = status;
    this.code = Objects.requireNonNull(code);
  }

  private static String hint(int status) {
    return switch (status) {
      case 401 -> " (run `slipway login` for this registry)";
      case 403 -> " (the credentials lack permission for this repository)";
      default -> "";
    };
  }

  /** The request that failed, as {@code METHOD url}. */
  public String request() {
    return request;
  }

  /** The HTTP status. */
  public int status() {
    return status;
  }

  /** The OCI error code, or empty. */
  public String code() {
    return code;
  }
}
