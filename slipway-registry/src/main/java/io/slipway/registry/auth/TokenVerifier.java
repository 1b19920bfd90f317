package io.slipway.registry.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.slipway.oci.auth.Scope;
import io.slipway.registry.auth.InvalidTokenException.Reason;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a bearer token before the registry acts on it: the header's algorithm is on the
 * allow-list ({@code none} never is; only ES256 and RS256 can be), the signature verifies with a
 * trusted key chosen by {@code kid}, {@code iss} names a trusted issuer, {@code aud} names this
 * registry's service, and now lies between {@code nbf} and {@code exp} give or take a small clock
 * skew. Immutable, so safe for concurrent use.
 */
public final class TokenVerifier {
  /** The algorithms a registry may be configured to accept. */
  public static final Set<JWSAlgorithm> SUPPORTED = Set.of(JWSAlgorithm.ES256, JWSAlgorithm.RS256);

  /** Clocks of the issuer and the registry may differ this much by default. */
  public static final Duration DEFAULT_SKEW = Duration.ofSeconds(30);

  private final TrustedKeys keys;
  private final Set<String> issuers;
  private final String audience;
  private final Set<JWSAlgorithm> algorithms;
  private final Duration skew;
  private final Clock clock;

  /**
   * A verifier accepting tokens signed by {@code keys} with one of {@code algorithms}, issued by
   * one of {@code issuers} for {@code audience}.
   *
   * @throws IllegalArgumentException when an algorithm is not ES256 or RS256, or a set is empty
   */
  public TokenVerifier(
      TrustedKeys keys,
      Collection<String> issuers,
      String audience,
      Collection<JWSAlgorithm> algorithms,
      Duration skew,
      Clock clock) {
    if (issuers.isEmpty() || algorithms.isEmpty()) {
      throw new IllegalArgumentException("a token verifier needs issuers and algorithms");
    }
    for (JWSAlgorithm algorithm : algorithms) {
      if (!SUPPORTED.contains(algorithm)) {
        throw new IllegalArgumentException(
            "token algorithm " + algorithm + " is not supported; use ES256 or RS256");
      }
    }
    this.keys = keys;
    this.issuers = Set.copyOf(issuers);
    this.audience = audience;
    this.algorithms = Set.copyOf(algorithms);
    this.skew = skew;
    this.clock = clock;
  }

  /** A verifier for the tokens of the built-in issuer only. */
  public static TokenVerifier forIssuer(SigningKey key, TokenSettings settings, Clock clock) {
    return new TokenVerifier(
        TrustedKeys.of(key), List.of(settings.issuer()), settings.service(),
        List.of(JWSAlgorithm.ES256), DEFAULT_SKEW, clock);
  }

  /** The service name tokens must carry as {@code aud}. */
  public String audience() {
    return audience;
  }

  /**
   * Verifies an access token.
   *
   * @throws InvalidTokenException saying which check failed
   */
  public VerifiedToken verify(String token) throws InvalidTokenException {
    return verify(token, audience);
  }

  /**
   * Verifies a token for another audience (the token service checks refresh tokens so).
   *
   * @throws InvalidTokenException saying which check failed
   */
  public VerifiedToken verify(String token, String expectedAudience) throws InvalidTokenException {
    SignedJWT jwt = parse(token);
    JWSHeader header = jwt.getHeader();
    if (!algorithms.contains(header.getAlgorithm())) {
      throw new InvalidTokenException(
          Reason.ALGORITHM, "token algorithm " + header.getAlgorithm() + " is not accepted");
    }
    List<JWK> candidates = keys.candidates(header.getKeyID());
    if (candidates.isEmpty()) {
      throw new InvalidTokenException(
          Reason.UNTRUSTED_KEY, "no trusted key has id " + header.getKeyID());
    }
    boolean fitting = false;
    boolean verified = false;
    for (JWK key : candidates) {
      JWSVerifier verifier = verifierFor(key, header.getAlgorithm());
      if (verifier == null) {
        continue;
      }
      fitting = true;
      try {
        if (jwt.verify(verifier)) {
          verified = true;
          break;
        }
      } catch (JOSEException e) {
        // A key that cannot check this signature is not a match; try the next.
      }
    }
    if (!fitting) {
      throw new InvalidTokenException(
          Reason.UNTRUSTED_KEY, "no trusted key fits algorithm " + header.getAlgorithm());
    }
    if (!verified) {
      throw new InvalidTokenException(Reason.SIGNATURE, "token signature does not verify");
    }
    return checkClaims(jwt, expectedAudience);
  }

  private static SignedJWT parse(String token) throws InvalidTokenException {
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      throw new InvalidTokenException(Reason.MALFORMED, "token is not a compact JWS");
    }
    // Look at alg before anything else: an unsigned token ("alg":"none") is refused outright,
    // whatever the rest of it says.
    try {
      Object alg = com.nimbusds.jose.util.JSONObjectUtils.parse(new Base64URL(parts[0]).decodeToString())
          .get("alg");
      if (!(alg instanceof String name) || name.equalsIgnoreCase("none")) {
        throw new InvalidTokenException(Reason.ALGORITHM, "unsigned tokens (alg none) are refused");
      }
      return SignedJWT.parse(token);
    } catch (ParseException e) {
      throw new InvalidTokenException(Reason.MALFORMED, "token is not a JWS: " + e.getMessage());
    }
  }

  private static JWSVerifier verifierFor(JWK key, JWSAlgorithm algorithm) {
    try {
      if (key instanceof ECKey ec && JWSAlgorithm.ES256.equals(algorithm)) {
        return new ECDSAVerifier(ec);
      }
      if (key instanceof RSAKey rsa && JWSAlgorithm.RS256.equals(algorithm)) {
        return new RSASSAVerifier(rsa);
      }
    } catch (JOSEException e) {
      // An EC key on another curve cannot verify ES256: not a fitting key.
    }
    return null;
  }

  private VerifiedToken checkClaims(SignedJWT jwt, String expectedAudience)
      throws InvalidTokenException {
    JWTClaimsSet claims;
    try {
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw new InvalidTokenException(Reason.MALFORMED, "token claims are not JSON: " + e.getMessage());
    }
    String issuer = claims.getIssuer();
    if (issuer == null || !issuers.contains(issuer)) {
      throw new InvalidTokenException(Reason.ISSUER, "token issuer " + issuer + " is not trusted");
    }
    List<String> audiences = claims.getAudience();
    if (audiences == null || !audiences.contains(expectedAudience)) {
      throw new InvalidTokenException(
          Reason.AUDIENCE, "token is for " + audiences + ", not for " + expectedAudience);
    }
    Instant now = clock.instant();
    Date expiry = claims.getExpirationTime();
    if (expiry == null || !now.isBefore(expiry.toInstant().plus(skew))) {
      throw new InvalidTokenException(Reason.EXPIRED, "token expired at " + (expiry == null ? "?" : expiry.toInstant()));
    }
    Date notBefore = claims.getNotBeforeTime();
    if (notBefore != null && now.plus(skew).isBefore(notBefore.toInstant())) {
      throw new InvalidTokenException(
          Reason.NOT_YET_VALID, "token is not valid before " + notBefore.toInstant());
    }
    String subject = claims.getSubject() == null ? "" : claims.getSubject();
    return new VerifiedToken(subject, issuer, expiry.toInstant(), access(claims));
  }

  private static List<Scope> access(JWTClaimsSet claims) throws InvalidTokenException {
    Object claim = claims.getClaim(TokenIssuer.ACCESS_CLAIM);
    if (claim == null) {
      return List.of();
    }
    if (!(claim instanceof List<?> entries)) {
      throw new InvalidTokenException(Reason.MALFORMED, "access claim is not a list");
    }
    List<Scope> scopes = new ArrayList<>();
    for (Object entry : entries) {
      if (!(entry instanceof Map<?, ?> map)
          || !(map.get("type") instanceof String type)
          || !(map.get("name") instanceof String name)
          || !(map.get("actions") instanceof List<?> actions)) {
        throw new InvalidTokenException(
            Reason.MALFORMED, "access entries need type, name and actions");
      }
      List<String> names = new ArrayList<>();
      for (Object action : actions) {
        if (!(action instanceof String text)) {
          throw new InvalidTokenException(Reason.MALFORMED, "access actions must be strings");
        }
        names.add(text);
      }
      if (names.isEmpty()) {
        continue;
      }
      try {
        scopes.add(Scope.of(type, name, names));
      } catch (IllegalArgumentException e) {
        throw new InvalidTokenException(Reason.MALFORMED, "bad access entry: " + e.getMessage());
      }
    }
    return scopes;
  }
}
