package io.slipway.registry.auth;

import java.util.Optional;

/**
 * Checks a user name and password against the htpasswd file and turns a match into a {@link
 * Principal} with the configuration's groups. An unknown user costs the same bcrypt work as a
 * wrong password (the password is verified against a dummy hash of the same cost), so response
 * time does not tell which user names exist. Safe for concurrent use.
 */
public final class UserAuthenticator {
  private final HtpasswdFile users;
  private final AccessPolicy policy;
  private final java.util.concurrent.ConcurrentHashMap<Integer, String> dummyHashes =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** Authenticates against {@code users}; groups come from {@code policy}. */
  public UserAuthenticator(HtpasswdFile users, AccessPolicy policy) {
    this.users = users;
    this.policy = policy;
  }

  /** The principal when the password matches; empty for an unknown user or a wrong password. */
  public Optional<Principal> authenticate(String user, char[] password) {
    Optional<String> hash = users.hash(user);
    // Verify even when the user is unknown, against a hash of the same cost: the work, and so the
    // time, is the same either way.
    boolean matches =
        BcryptPasswords.verify(password, hash.orElseGet(() -> dummyHash(users.typicalCost())));
    if (hash.isEmpty() || !matches) {
      return Optional.empty();
    }
    return Optional.of(policy.principal(user));
  }

  /** A hash of a random password nobody knows, at the cost the file's real entries use. */
  private String dummyHash(int cost) {
    return dummyHashes.computeIfAbsent(
        cost,
        c -> BcryptPasswords.hash(java.util.UUID.randomUUID().toString().toCharArray(), c));
  }

  /** True while the htpasswd file still holds {@code user}; refresh tokens of removed users die. */
  public boolean exists(String user) {
    return users.contains(user);
  }
}
