package io.slipway.registry.auth;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A token service and authorizer over a policy with every kind of rule, users in an htpasswd file
 * with cheap bcrypt, and a hand-moved clock. Confined to one test.
 */
final class AuthFixture {
  static final String PASSWORD = "correct horse";
  static final List<String> USERS = List.of("alice", "bob", "carol", "dave");
  static final List<String> REPOSITORIES = List.of("team/app", "team/secret", "public/base", "private/x");

  final MutableClock clock = new MutableClock(java.time.Instant.parse("2026-11-24T00:00:00Z"));
  final SigningKey key = SigningKey.generate();
  final TokenSettings settings = TokenSettings.of("slipway", "registry.test");
  final AccessPolicy policy;
  final TokenService service;
  final TokenAuthorizer authorizer;
  final LoginRateLimiter limiter;

  AuthFixture(Path dir) throws IOException {
    Path htpasswd = dir.resolve("htpasswd");
    for (String user : USERS) {
      HtpasswdFile.putUser(htpasswd, user, PASSWORD.toCharArray(), 4);
    }
    policy = AccessPolicy.of(rules(), Map.of("devs", List.of("alice", "bob"), "admins", List.of("carol")));
    limiter = new LoginRateLimiter(5, Duration.ofMinutes(1), clock);
    service =
        new TokenService(
            new TokenIssuer(key, settings, clock),
            TokenVerifier.forIssuer(key, settings, clock),
            new UserAuthenticator(HtpasswdFile.open(htpasswd), policy),
            policy,
            limiter);
    authorizer = new TokenAuthorizer(TokenVerifier.forIssuer(key, settings, clock), "/token", policy);
  }

  /**
   * Admins do everything; alice may only pull team/secret and bob nothing there (explicit deny
   * before the devs rule); devs pull and push team/*; anonymous pulls public/**; every
   * authenticated user pulls and pushes public/**; nothing else (default deny).
   */
  static List<AccessRule> rules() {
    return List.of(
        new AccessRule(Set.of(), Set.of("admins"), false, RepositoryGlob.of("**"), EnumSet.allOf(Action.class)),
        new AccessRule(Set.of("alice"), Set.of(), false, RepositoryGlob.of("team/secret"), EnumSet.of(Action.PULL)),
        new AccessRule(Set.of("bob"), Set.of(), false, RepositoryGlob.of("team/secret"), Set.of()),
        new AccessRule(Set.of(), Set.of("devs"), false, RepositoryGlob.of("team/*"), EnumSet.of(Action.PULL, Action.PUSH)),
        new AccessRule(Set.of(), Set.of(), true, RepositoryGlob.of("public/**"), EnumSet.of(Action.PULL)),
        new AccessRule(Set.of("*"), Set.of(), false, RepositoryGlob.of("public/**"), EnumSet.of(Action.PULL, Action.PUSH)));
  }

  /** What the policy above means, written out independently of it. */
  static Set<Action> expected(String user, String repository) {
    Set<Action> none = EnumSet.noneOf(Action.class);
    Set<Action> pullPush = EnumSet.of(Action.PULL, Action.PUSH);
    if (user.equals("carol")) {
      return EnumSet.allOf(Action.class);
    }
    return switch (repository) {
      case "team/secret" -> user.equals("alice") ? EnumSet.of(Action.PULL) : none;
      case "team/app" -> user.equals("alice") || user.equals("bob") ? pullPush : none;
      case "public/base" -> user.isEmpty() ? EnumSet.of(Action.PULL) : pullPush;
      default -> none;
    };
  }

  TokenRequest.Credentials credentials(String user) {
    return user.isEmpty()
        ? new TokenRequest.Credentials.Anonymous()
        : new TokenRequest.Credentials.Password(user, PASSWORD.toCharArray());
  }

  static AccessRequest request(String token, String repository, Action action) {
    return AccessRequest.repository(
        token == null ? null : "Bearer " + token, java.net.URI.create("http://127.0.0.1:5000"),
        repository, EnumSet.of(action));
  }
}
