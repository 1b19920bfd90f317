package io.slipway.client.auth;

/** A docker credential helper ({@code docker-credential-NAME}) failed, hung or answered nonsense. */
public final class CredentialHelperException extends AuthException {
  private static final long serialVersionUID = 1L;

  private final String helper;

  public CredentialHelperException(String helper, String problem) {
    super("credential helper " + helper + ": " + problem);
    this.helper = helper;
  }

  public CredentialHelperException(String helper, String problem, Throwable cause) {
    super("credential helper " + helper + ": " + problem, cause);
    this.helper = helper;
  }

  /** The helper program's name, such as {@code docker-credential-pass}. */
  public String helper() {
    return helper;
  }
}
