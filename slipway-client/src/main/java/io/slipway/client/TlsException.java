package io.slipway.client;

/**
 * HTTPS with a registry failed for a reason retrying cannot mend: its certificate is not trusted
 * (unknown CA, wrong host name, expired), or it answered the TLS handshake in plain HTTP. The
 * message names the registry, the problem and what to do about it.
 */
public final class TlsException extends ClientException {
  private static final long serialVersionUID = 1L;

  private final String registry;

  private TlsException(String registry, String message, Throwable cause) {
    super(message, cause);
    this.registry = registry;
  }

  /** The registry's certificate was refused. */
  static TlsException untrusted(String registry, Throwable cause) {
    return new TlsException(registry, "registry " + registry + ": its TLS certificate is not trusted ("
        + TlsFailure.reason(cause) + "); if a private CA signed it, give that CA's PEM file"
        + " (--ca-file), or check that " + registry + " is the registry you meant", cause);
  }

  /** The registry answered the TLS handshake in plain HTTP. */
  static TlsException plainHttp(String registry, Throwable cause) {
    return new TlsException(registry, "registry " + registry + " answered HTTPS in plain HTTP;"
        + " plain HTTP is used only for registries marked insecure (--insecure " + registry
        + ") and for localhost", cause);
  }

  /** The registry, as in a reference ({@code host[:port]}). */
  public String registry() {
    return registry;
  }
}
