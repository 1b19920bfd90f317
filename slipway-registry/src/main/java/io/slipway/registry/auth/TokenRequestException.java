package io.slipway.registry.auth;

import java.time.Duration;

/**
 * A token request the service refuses, with the kind that decides the HTTP answer. Immutable once
 * thrown.
 */
public final class TokenRequestException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why the request was refused, with the HTTP status and OAuth2 error code it is sent with. */
  public enum Kind {
    /** A missing or malformed parameter, or a service this registry is not. */
    INVALID_REQUEST(400, "invalid_request"),
    /** A grant type other than password and refresh_token. */
    UNSUPPORTED_GRANT_TYPE(400, "unsupported_grant_type"),
    /** Unknown user or wrong password. */
    INVALID_CREDENTIALS(401, "invalid_client"),
    /** A refresh token that failed verification or whose user is gone. */
    INVALID_GRANT(400, "invalid_grant"),
    /** Too many failed logins from this address. */
    RATE_LIMITED(429, "slow_down");

    private final int status;
    private final String oauthError;

    Kind(int status, String oauthError) {
      this.status = status;
      this.oauthError = oauthError;
    }

    /** The HTTP status. */
    public int status() {
      return status;
    }

    /** The {@code error} value of an OAuth2 error body. */
    public String oauthError() {
      return oauthError;
    }
  }

  private final Kind kind;
  private final transient Duration retryAfter;

  /** A refusal of {@code kind} with a message for the client. */
  public TokenRequestException(Kind kind, String message) {
    this(kind, message, null);
  }

  /** A refusal with a wait before the client may try again (for {@link Kind#RATE_LIMITED}). */
  public TokenRequestException(Kind kind, String message, Duration retryAfter) {
    super(message);
    this.kind = kind;
    this.retryAfter = retryAfter;
  }

  /** Why the request was refused. */
  public Kind kind() {
    return kind;
  }

  /** Whole seconds to wait before retrying, or 0 when the refusal is not about rate. */
  public long retryAfterSeconds() {
    return retryAfter == null ? 0 : Math.max(1, retryAfter.toSeconds());
  }
}
