package io.slipway.registry.auth;

import io.slipway.oci.auth.Scope;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the token service hands back: the access token, what it grants (possibly less than asked,
 * possibly nothing), its lifetime, and a refresh token when one was asked for. Immutable.
 *
 * @param accessToken the signed access token
 * @param issuedAt when it was signed
 * @param expiresIn how long it is valid
 * @param granted the scopes granted
 * @param refreshToken a refresh token, or null when the request was not offline
 */
public record TokenGrant(
    String accessToken, Instant issuedAt, Duration expiresIn, List<Scope> granted, String refreshToken) {

  public TokenGrant {
    Objects.requireNonNull(accessToken, "accessToken");
    Objects.requireNonNull(issuedAt, "issuedAt");
    Objects.requireNonNull(expiresIn, "expiresIn");
    granted = List.copyOf(granted);
  }
}
