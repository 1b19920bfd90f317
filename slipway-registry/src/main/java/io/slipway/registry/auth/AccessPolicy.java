package io.slipway.registry.auth;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The access policy of the registry configuration: an ordered list of rules, the first rule that
 * matches the caller and repository decides, and nothing matching means no access (default deny).
 * Also holds the groups of the configuration, so it can turn a user name into a {@link Principal}.
 * Immutable, so safe for concurrent use.
 */
public final class AccessPolicy {
  private final List<AccessRule> rules;
  private final Map<String, Set<String>> groupsByUser;

  private AccessPolicy(List<AccessRule> rules, Map<String, Set<String>> groupsByUser) {
    this.rules = rules;
    this.groupsByUser = groupsByUser;
  }

  /**
   * A policy of {@code rules} in order, with {@code groups} mapping a group name to its members.
   */
  public static AccessPolicy of(List<AccessRule> rules, Map<String, ? extends Iterable<String>> groups) {
    Map<String, TreeSet<String>> byUser = new java.util.HashMap<>();
    groups.forEach(
        (group, members) -> {
          for (String member : members) {
            byUser.computeIfAbsent(member, m -> new TreeSet<>()).add(group);
          }
        });
    Map<String, Set<String>> frozen = new java.util.HashMap<>();
    byUser.forEach((user, userGroups) -> frozen.put(user, Set.copyOf(userGroups)));
    return new AccessPolicy(List.copyOf(rules), Map.copyOf(frozen));
  }

  /** The rules in order. */
  public List<AccessRule> rules() {
    return rules;
  }

  /** The principal of an authenticated user, with the groups the configuration gives them. */
  public Principal principal(String user) {
    return new Principal(user, groupsByUser.getOrDefault(user, Set.of()));
  }

  /** What {@code principal} may do to {@code repository}: the first matching rule's actions. */
  public Set<Action> allowed(Principal principal, String repository) {
    for (AccessRule rule : rules) {
      if (rule.matches(principal, repository)) {
        return rule.actions().isEmpty() ? EnumSet.noneOf(Action.class) : EnumSet.copyOf(rule.actions());
      }
    }
    return EnumSet.noneOf(Action.class);
  }

  /** The intersection of what is asked and what is allowed; a partial grant is not an error. */
  public Set<Action> grant(Principal principal, String repository, Set<Action> requested) {
    Set<Action> granted = allowed(principal, repository);
    granted.retainAll(requested);
    return granted;
  }

  /** The repositories of {@code repositories} that {@code principal} may pull, in order. */
  public List<String> pullable(Principal principal, Iterable<String> repositories) {
    List<String> visible = new ArrayList<>();
    for (String repository : repositories) {
      if (allowed(principal, repository).contains(Action.PULL)) {
        visible.add(repository);
      }
    }
    return visible;
  }
}
