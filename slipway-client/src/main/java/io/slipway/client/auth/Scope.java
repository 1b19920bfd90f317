package io.slipway.client.auth;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One access scope of the docker token protocol: {@code type:name:actions}, for example {@code
 * repository:library/busybox:pull,push} or {@code registry:catalog:*}.
 *
 * <p>The name may itself hold colons (a repository on {@code host:5000/name}), so the type is
 * everything before the first colon and the actions everything after the last. Actions are kept
 * sorted, so equal scopes print equally. Immutable.
 */
public record Scope(String type, String name, SortedSet<String> actions) implements Comparable<Scope> {

  public Scope {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(name, "name");
    if (type.isEmpty() || name.isEmpty() || actions.isEmpty()) {
      throw new IllegalArgumentException("scope needs a type, a name and at least one action");
    }
    for (String action : actions) {
      if (action.isEmpty() || action.contains(",") || action.contains(":")) {
        throw new IllegalArgumentException("bad action \"" + action + "\" in scope");
      }
    }
    actions = Collections.unmodifiableSortedSet(new TreeSet<>(actions));
  }

  /** A scope from explicit parts. */
  public static Scope of(String type, String name, Collection<String> actions) {
    return new Scope(type, name, new TreeSet<>(actions));
  }

  /** Pull access to one repository. */
  public static Scope pull(String repository) {
    return of("repository", repository, List.of("pull"));
  }

  /** Pull and push access to one repository, as pushing needs both. */
  public static Scope pullPush(String repository) {
    return of("repository", repository, List.of("pull", "push"));
  }

  /** Access to the registry catalog. */
  public static Scope catalog() {
    return of("registry", "catalog", List.of("*"));
  }

  /**
   * Parses {@code type:name:actions}.
   *
   * @throws IllegalArgumentException when a part is missing
   */
  public static Scope parse(String text) {
    int first = text.indexOf(':');
    int last = text.lastIndexOf(':');
    if (first <= 0 || last == first || last == text.length() - 1) {
      throw new IllegalArgumentException(
          "scope \"" + text + "\" is not type:name:actions (e.g. repository:library/busybox:pull)");
    }
    List<String> actions = List.of(text.substring(last + 1).split(",", -1));
    return of(text.substring(0, first), text.substring(first + 1, last), actions);
  }

  /** True when this scope grants every action {@code other} asks for on the same resource. */
  public boolean covers(Scope other) {
    return type.equals(other.type)
        && name.equals(other.name)
        && (actions.contains("*") || actions.containsAll(other.actions));
  }

  @Override
  public String toString() {
    return type + ":" + name + ":" + String.join(",", actions);
  }

  @Override
  public int compareTo(Scope other) {
    return toString().compareTo(other.toString());
  }
}
