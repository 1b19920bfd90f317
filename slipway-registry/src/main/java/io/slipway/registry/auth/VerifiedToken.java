package io.slipway.registry.auth;

import io.slipway.oci.auth.Scope;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A bearer token whose signature, issuer, audience and validity period checked out, and what it
 * grants. Immutable.
 *
 * @param subject the {@code sub} claim, empty for anonymous
 * @param issuer the {@code iss} claim
 * @param expiresAt the {@code exp} claim
 * @param access the scopes of the {@code access} claim
 */
public record VerifiedToken(String subject, String issuer, Instant expiresAt, List<Scope> access) {

  public VerifiedToken {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(expiresAt, "expiresAt");
    access = List.copyOf(access);
  }

  /** True when some scope of the token covers {@code wanted}. */
  public boolean grants(Scope wanted) {
    for (Scope scope : access) {
      if (scope.covers(wanted)) {
        return true;
      }
    }
    return false;
  }
}
