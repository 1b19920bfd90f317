package io.slipway.registry.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.jetty.server.Handler;

/**
 * Everything the registry server needs for access control, built from an {@link AuthConfig}: the
 * {@link Authorizer} its router asks, and the handlers to mount before the router (the token
 * endpoint when the built-in token service is on). Immutable, so safe for concurrent use.
 *
 * @param authorizer decides each request
 * @param handlers served before the registry's router, in order
 */
public record RegistryAuth(Authorizer authorizer, List<Handler> handlers) {

  public RegistryAuth {
    java.util.Objects.requireNonNull(authorizer, "authorizer");
    handlers = List.copyOf(handlers);
  }

  /** No access control: every request is allowed, no token endpoint. */
  public static RegistryAuth disabled() {
    return new RegistryAuth(Authorizer.disabled(), List.of());
  }

  /**
   * Opens the users file, loads or generates the signing key, reads external issuers' keys, and
   * wires the token service and the authorizer.
   *
   * @throws IOException naming the file at fault when a key or the users file cannot be read
   */
  public static RegistryAuth open(AuthConfig config, Clock clock) throws IOException {
    AccessPolicy policy = AccessPolicy.of(config.rules(), config.groups());
    List<JWK> external = new ArrayList<>();
    for (Path jwks : config.trustedJwks()) {
      external.addAll(TrustedKeys.readJwks(jwks));
    }
    for (Path pem : config.trustedPems()) {
      external.add(TrustedKeys.readPem(pem));
    }
    Set<JWSAlgorithm> algorithms = new HashSet<>();
    for (String name : config.algorithms()) {
      JWSAlgorithm algorithm = JWSAlgorithm.parse(name);
      if (!TokenVerifier.SUPPORTED.contains(algorithm)) {
        throw new IllegalArgumentException(
            "auth.token.algorithms: " + name + " is not supported; use ES256 or RS256");
      }
      algorithms.add(algorithm);
    }
    Set<String> issuers = new HashSet<>(config.trustedIssuers());
    List<Handler> handlers = new ArrayList<>();
    TrustedKeys keys = TrustedKeys.of(external);
    if (config.tokenService()) {
      SigningKey key = SigningKey.loadOrCreate(config.signingKey());
      keys = keys.with(List.of(key.publicJwk()));
      issuers.add(config.settings().issuer());
      algorithms.add(JWSAlgorithm.ES256);
      TokenIssuer issuer = new TokenIssuer(key, config.settings(), clock);
      TokenVerifier refresh = TokenVerifier.forIssuer(key, config.settings(), clock);
      UserAuthenticator users = new UserAuthenticator(HtpasswdFile.open(config.htpasswd()), policy);
      LoginRateLimiter limiter =
          new LoginRateLimiter(config.maxFailedLogins(), config.failedLoginWindow(), clock);
      TokenService service = new TokenService(issuer, refresh, users, policy, limiter);
      handlers.add(new TokenHandler(service, config.tokenPath()));
    }
    TokenVerifier verifier =
        new TokenVerifier(keys, issuers, config.settings().service(), algorithms,
            TokenVerifier.DEFAULT_SKEW, clock);
    return new RegistryAuth(new TokenAuthorizer(verifier, config.realm(), policy), handlers);
  }
}
