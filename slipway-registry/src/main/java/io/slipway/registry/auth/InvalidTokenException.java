package io.slipway.registry.auth;

/**
 * A bearer token the registry does not accept, with the reason a caller (and a test) can act on.
 * The message is safe to send to the client: it names the failed check, never key material.
 * Immutable once thrown.
 */
public final class InvalidTokenException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Which check the token failed. */
  public enum Reason {
    /** Not a compact JWS, or claims that are not JSON of the expected shape. */
    MALFORMED,
    /** {@code alg: none}, or an algorithm outside the allow-list. */
    ALGORITHM,
    /** No trusted key has the token's {@code kid}, or none fits its algorithm. */
    UNTRUSTED_KEY,
    /** The signature does not verify with the trusted key. */
    SIGNATURE,
    /** The {@code iss} claim names no trusted issuer. */
    ISSUER,
    /** The {@code aud} claim does not name this registry's service. */
    AUDIENCE,
    /** {@code exp} has passed (beyond the allowed clock skew) or is missing. */
    EXPIRED,
    /** {@code nbf} is still ahead (beyond the allowed clock skew). */
    NOT_YET_VALID
  }

  private final Reason reason;

  /** A rejection for {@code reason}, with a message saying what was wrong. */
  public InvalidTokenException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  /** The check that failed. */
  public Reason reason() {
    return reason;
  }
}
