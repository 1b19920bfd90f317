package io.slipway.registry.auth;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code auth} section of the registry configuration, as the CLI reads it from YAML: the
 * built-in token service (users, signing key, lifetimes), external issuers whose tokens are also
 * accepted, the access policy and groups, and the failed-login limit. Immutable.
 *
 * @param tokenService whether this registry issues tokens itself at {@code tokenPath}; false when
 *     only an external issuer fronts it
 * @param htpasswd the users file (bcrypt entries); required when {@code tokenService} is on
 * @param signingKey PEM file of the ES256 signing key, generated there on first start
 * @param settings issuer, service and lifetimes of issued tokens
 * @param realm the token realm clients are sent to: absolute, or a path on this registry
 * @param tokenPath where the token endpoint is mounted
 * @param trustedJwks JWKS files of external issuers
 * @param trustedPems PEM public keys or certificates of external issuers
 * @param trustedIssuers {@code iss} values of external issuers
 * @param algorithms accepted token algorithms ({@code ES256}, {@code RS256})
 * @param rules the access policy, first match wins
 * @param groups group name to member user names
 * @param maxFailedLogins failed logins allowed per source address within {@code failedLoginWindow}
 * @param failedLoginWindow the window of the failed-login limit
 */
public record AuthConfig(
    boolean tokenService,
    Path htpasswd,
    Path signingKey,
    TokenSettings settings,
    String realm,
    String tokenPath,
    List<Path> trustedJwks,
    List<Path> trustedPems,
    Set<String> trustedIssuers,
    Set<String> algorithms,
    List<AccessRule> rules,
    Map<String, List<String>> groups,
    int maxFailedLogins,
    Duration failedLoginWindow) {

  public AuthConfig {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(realm, "realm");
    Objects.requireNonNull(tokenPath, "tokenPath");
    trustedJwks = List.copyOf(trustedJwks);
    trustedPems = List.copyOf(trustedPems);
    trustedIssuers = Set.copyOf(trustedIssuers);
    algorithms = Set.copyOf(algorithms);
    rules = List.copyOf(rules);
    groups = Map.copyOf(groups);
    if (tokenService && (htpasswd == null || signingKey == null)) {
      throw new IllegalArgumentException("the token service needs an htpasswd file and a signing key path");
    }
    if (!tokenService && trustedJwks.isEmpty() && trustedPems.isEmpty()) {
      throw new IllegalArgumentException(
          "auth without the built-in token service needs an external issuer's JWKS or PEM keys");
    }
    if (!tokenService && trustedIssuers.isEmpty()) {
      throw new IllegalArgumentException("auth with an external issuer needs its iss value");
    }
  }

  /**
   * The built-in token service with users from {@code htpasswd}, the signing key in {@code
   * signingKey}, tokens for service {@code slipway}, realm {@code /token}, ES256, and the given
   * policy.
   */
  public static AuthConfig builtIn(
      Path htpasswd, Path signingKey, List<AccessRule> rules, Map<String, List<String>> groups) {
    return new AuthConfig(
        true, htpasswd, signingKey, TokenSettings.of("slipway", "slipway"), TokenHandler.DEFAULT_PATH,
        TokenHandler.DEFAULT_PATH, List.of(), List.of(), Set.of(), Set.of("ES256"), rules, groups, 5,
        Duration.ofMinutes(1));
  }

  /** This configuration with other token settings. */
  public AuthConfig withSettings(TokenSettings newSettings) {
    return new AuthConfig(tokenService, htpasswd, signingKey, newSettings, realm, tokenPath,
        trustedJwks, trustedPems, trustedIssuers, algorithms, rules, groups, maxFailedLogins,
        failedLoginWindow);
  }

  /** This configuration also trusting an external issuer's keys. */
  public AuthConfig withExternalIssuer(String issuer, List<Path> jwks, List<Path> pems) {
    Set<String> issuers = new java.util.HashSet<>(trustedIssuers);
    issuers.add(issuer);
    List<Path> allJwks = new java.util.ArrayList<>(trustedJwks);
    allJwks.addAll(jwks);
    List<Path> allPems = new java.util.ArrayList<>(trustedPems);
    allPems.addAll(pems);
    return new AuthConfig(tokenService, htpasswd, signingKey, settings, realm, tokenPath, allJwks,
        allPems, issuers, algorithms, rules, groups, maxFailedLogins, failedLoginWindow);
  }

  /** This configuration accepting {@code names} as token algorithms. */
  public AuthConfig withAlgorithms(Set<String> names) {
    return new AuthConfig(tokenService, htpasswd, signingKey, settings, realm, tokenPath,
        trustedJwks, trustedPems, trustedIssuers, names, rules, groups, maxFailedLogins,
        failedLoginWindow);
  }

  /** This configuration with another failed-login limit. */
  public AuthConfig withFailedLoginLimit(int max, Duration window) {
    return new AuthConfig(tokenService, htpasswd, signingKey, settings, realm, tokenPath,
        trustedJwks, trustedPems, trustedIssuers, algorithms, rules, groups, max, window);
  }
}
