package io.slipway.registry.auth;

import java.util.Objects;
import java.util.Set;

/**
 * One rule of the access policy: who ({@code users}, {@code groups}, or {@code anonymous}), which
 * repositories, and the actions they get. A user name {@code *} stands for every authenticated
 * user. Immutable.
 *
 * @param users user names the rule applies to ({@code *}: every authenticated user)
 * @param groups groups whose members the rule applies to
 * @param anonymous whether the rule applies to callers without credentials
 * @param repositories the repositories the rule covers
 * @param actions what the rule allows; empty denies
 */
public record AccessRule(
    Set<String> users,
    Set<String> groups,
    boolean anonymous,
    RepositoryGlob repositories,
    Set<Action> actions) {

  public AccessRule {
    users = Set.copyOf(users);
    groups = Set.copyOf(groups);
    Objects.requireNonNull(repositories, "repositories");
    actions = Set.copyOf(actions);
    if (users.isEmpty() && groups.isEmpty() && !anonymous) {
      throw new IllegalArgumentException(
          "access rule for " + repositories + " names no users, groups or anonymous");
    }
  }

  /** True when the rule is about this caller, whatever the repository. */
  public boolean appliesTo(Principal principal) {
    if (principal.isAnonymous()) {
      return anonymous;
    }
    if (users.contains("*") || users.contains(principal.name())) {
      return true;
    }
    for (String group : principal.groups()) {
      if (groups.contains(group)) {
        return true;
      }
    }
    return false;
  }

  /** True when the rule decides for this caller and repository. */
  public boolean matches(Principal principal, String repository) {
    return appliesTo(principal) && repositories.matches(repository);
  }
}
