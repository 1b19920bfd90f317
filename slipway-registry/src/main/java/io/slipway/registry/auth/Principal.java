package io.slipway.registry.auth;

import java.util.Objects;
import java.util.Set;

/**
 * Who is asking: an authenticated user with the groups the configuration puts them in, or the
 * anonymous caller. Immutable.
 *
 * @param name the user name, empty for the anonymous caller
 * @param groups the groups the user belongs to
 */
public record Principal(String name, Set<String> groups) {

  /** The caller that presented no credentials. */
  public static final Principal ANONYMOUS = new Principal("", Set.of());

  public Principal {
    Objects.requireNonNull(name, "name");
    groups = Set.copyOf(groups);
  }

  /** A user without groups. */
  public static Principal user(String name) {
    if (name.isEmpty()) {
      throw new IllegalArgumentException("a user needs a name");
    }
    return new Principal(name, Set.of());
  }

  /** True for the caller without credentials. */
  public boolean isAnonymous() {
    return name.isEmpty();
  }

  @Override
  public String toString() {
    return isAnonymous() ? "anonymous" : name;
  }
}
