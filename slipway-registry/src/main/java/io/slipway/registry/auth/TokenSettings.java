package io.slipway.registry.auth;

import java.time.Duration;
import java.util.Objects;

/**
 * How the built-in token service signs: the {@code iss} it writes, the {@code service} (the
 * {@code aud} of its tokens and the {@code service} of the registry's challenges), and how long
 * access and refresh tokens live. Immutable.
 *
 * @param issuer the {@code iss} claim
 * @param service the service name clients pass as {@code service=} and tokens carry as {@code aud}
 * @param lifetime how long an access token is valid; at least {@link #MIN_LIFETIME}
 * @param refreshLifetime how long a refresh token is valid
 */
public record TokenSettings(String issuer, String service, Duration lifetime, Duration refreshLifetime) {

  /** The token specification asks for at least 60 seconds; clients refresh less often then. */
  public static final Duration MIN_LIFETIME = Duration.ofSeconds(60);

  public TokenSettings {
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(service, "service");
    if (issuer.isBlank() || service.isBlank()) {
      throw new IllegalArgumentException("token issuer and service must not be blank");
    }
    if (lifetime.compareTo(MIN_LIFETIME) < 0) {
      throw new IllegalArgumentException(
          "token lifetime " + lifetime.toSeconds() + "s is below the minimum of 60s");
    }
    if (refreshLifetime.compareTo(lifetime) < 0) {
      throw new IllegalArgumentException("refresh tokens must live at least as long as access tokens");
    }
  }

  /** Five-minute access tokens and 30-day refresh tokens. */
  public static TokenSettings of(String issuer, String service) {
    return new TokenSettings(issuer, service, Duration.ofMinutes(5), Duration.ofDays(30));
  }

  /** These settings with another access token lifetime. */
  public TokenSettings withLifetime(Duration newLifetime) {
    return new TokenSettings(issuer, service, newLifetime, refreshLifetime);
  }

  /** The audience of refresh tokens: never the service, so one cannot be used as access token. */
  public String refreshAudience() {
    return issuer + "#refresh";
  }
}
