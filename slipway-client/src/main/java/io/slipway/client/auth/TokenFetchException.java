package io.slipway.client.auth;

import java.net.URI;

/**
 * The token endpoint named in a Bearer challenge did not give a token: it refused the credentials,
 * answered something that is not a token, or did not answer in time.
 */
public final class TokenFetchException extends AuthException {
  private static final long serialVersionUID = 1L;

  private final URI endpoint;
  private final int status;

  /** {@code status} is the HTTP status, or 0 when there was no answer. */
  public TokenFetchException(URI endpoint, int status, String problem) {
    super("token endpoint " + endpoint + ": " + problem);
    this.endpoint = endpoint;
    this.status = status;
  }

  public TokenFetchException(URI endpoint, String problem, Throwable cause) {
    super("token endpoint " + endpoint + ": " + problem, cause);
    this.endpoint = endpoint;
    this.status = 0;
  }

  /** The realm the token was requested from. */
  public URI endpoint() {
    return endpoint;
  }

  /** The HTTP status of the answer, or 0 when there was none. */
  public int status() {
    return status;
  }
}
