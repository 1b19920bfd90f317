package io.slipway.client.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A Bearer token from a token endpoint, with when to stop using it. Immutable; {@code toString}
 * never shows the token.
 */
public final class Token {
  /** The docker token spec's default lifetime when the endpoint sends no {@code expires_in}. */
  public static final Duration DEFAULT_LIFETIME = Duration.ofSeconds(60);

  private final String value;
  private final Instant issuedAt;
  private final Duration lifetime;
  private final String refreshToken;

  /** {@code refreshToken} may be null when the endpoint offered none. */
  public Token(String value, Instant issuedAt, Duration lifetime, String refreshToken) {
    this.value = Objects.requireNonNull(value, "value");
    this.issuedAt = Objects.requireNonNull(issuedAt, "issuedAt");
    this.lifetime = Objects.requireNonNull(lifetime, "lifetime");
    this.refreshToken = refreshToken;
  }

  /** The token, sent as {@code Authorization: Bearer <value>}. */
  public String value() {
    return value;
  }

  public Instant issuedAt() {
    return issuedAt;
  }

  public Instant expiresAt() {
    return issuedAt.plus(lifetime);
  }

  /** When to fetch a new one: at 90% of the lifetime, so a request never carries a stale token. */
  public Instant refreshAt() {
    return issuedAt.plus(lifetime.multipliedBy(9).dividedBy(10));
  }

  /** True while the token is young enough to use. */
  public boolean isFresh(Instant now) {
    return now.isBefore(refreshAt());
  }

  /** The refresh token the endpoint offered, if any. */
  public Optional<String> refreshToken() {
    return Optional.ofNullable(refreshToken);
  }

  /** This token with {@code refresh} as its refresh token. */
  public Token withRefreshToken(String refresh) {
    return new Token(value, issuedAt, lifetime, refresh);
  }

  @Override
  public String toString() {
    return "Token[issuedAt=" + issuedAt + ", lifetime=" + lifetime
        + (refreshToken == null ? "" : ", refreshable") + "]";
  }
}
