package io.slipway.registry.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.slipway.oci.auth.Scope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Signs the tokens of the built-in token service: ES256 with the {@link SigningKey}'s {@code kid},
 * claims {@code iss}, {@code sub}, {@code aud}, {@code exp}, {@code nbf}, {@code iat}, {@code jti}
 * and {@code access} (the granted scopes) as the docker registry token specification lays them
 * out; and refresh tokens, which carry no access and have their own audience. Safe for concurrent
 * use (the signer is).
 */
public final class TokenIssuer {
  /** The claim holding the granted scopes. */
  public static final String ACCESS_CLAIM = "access";

  private final SigningKey key;
  private final TokenSettings settings;
  private final Clock clock;
  private final ECDSASigner signer;

  /** An issuer signing with {@code key} under {@code settings}. */
  public TokenIssuer(SigningKey key, TokenSettings settings, Clock clock) {
    this.key = key;
    this.settings = settings;
    this.clock = clock;
    try {
      this.signer = new ECDSASigner(key.privateJwk());
    } catch (JOSEException e) {
      throw new IllegalArgumentException("cannot sign with key " + key.keyId(), e);
    }
  }

  /** The settings tokens are issued under. */
  public TokenSettings settings() {
    return settings;
  }

  /**
   * Signs an access token for {@code subject} (empty for anonymous) granting {@code access}, valid
   * from now for the configured lifetime.
   */
  public IssuedToken issue(String subject, List<Scope> access) {
    Instant now = clock.instant();
    Duration lifetime = settings.lifetime();
    List<Map<String, Object>> claim = new ArrayList<>();
    for (Scope scope : access) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("type", scope.type());
      entry.put("name", scope.name());
      entry.put("actions", List.copyOf(scope.actions()));
      claim.add(entry);
    }
    JWTClaimsSet claims =
        base(subject, settings.service(), now, lifetime).claim(ACCESS_CLAIM, claim).build();
    return new IssuedToken(sign(claims), now, lifetime, List.copyOf(access));
  }

  /** Signs a refresh token for {@code subject}: no access, audience {@link TokenSettings#refreshAudience()}. */
  public String issueRefresh(String subject) {
    Instant now = clock.instant();
    return sign(base(subject, settings.refreshAudience(), now, settings.refreshLifetime()).build());
  }

  private JWTClaimsSet.Builder base(String subject, String audience, Instant now, Duration lifetime) {
    // Seconds, as the claims are NumericDates; fractions would be truncated anyway.
    Instant whole = Instant.ofEpochSecond(now.getEpochSecond());
    return new JWTClaimsSet.Builder()
        .issuer(settings.issuer())
        .subject(subject)
        .audience(audience)
        .issueTime(Date.from(whole))
        .notBeforeTime(Date.from(whole))
        .expirationTime(Date.from(whole.plus(lifetime)))
        .jwtID(UUID.randomUUID().toString());
  }

  private String sign(JWTClaimsSet claims) {
    JWSHeader header =
        new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT).keyID(key.keyId()).build();
    SignedJWT jwt = new SignedJWT(header, claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("signing a token failed", e);
    }
    return jwt.serialize();
  }

  /**
   * A signed access token and what it grants.
   *
   * @param token the compact JWT
   * @param issuedAt when it was signed
   * @param expiresIn how long it is valid
   * @param access the scopes it grants
   */
  public record IssuedToken(String token, Instant issuedAt, Duration expiresIn, List<Scope> access) {}
}
