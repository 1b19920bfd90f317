package io.slipway.oci.auth;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One access scope of the docker registry token protocol, {@code type:name:actions}, for example
 * {@code repository:library/busybox:pull,push} or {@code registry:catalog:*}.
 *
 * <p>The name may itself hold colons (a repository on {@code host:5000/name}), so the type is
 * everything before the first colon and the actions everything after the last, as the token
 * specification's grammar allows. Actions are kept sorted, so equal scopes print equally.
 * Immutable, so safe for concurrent use.
 *
 * @param type resource type, such as {@code repository} or {@code registry}
 * @param name resource name, such as {@code library/busybox} or {@code catalog}
 * @param actions the actions asked for or granted; never empty
 */
public record Scope(String type, String name, SortedSet<String> actions)
    implements Comparable<Scope> {

  /** The resource type of repositories. */
  public static final String REPOSITORY = "repository";

  /** The resource type of registry-wide resources such as the catalog. */
  public static final String REGISTRY = "registry";

  public Scope {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(actions, "actions");
    if (type.isEmpty() || name.isEmpty() || actions.isEmpty()) {
      throw new IllegalArgumentException("scope needs a type, a name and at least one action");
    }
    if (type.contains(":") || type.contains(" ")) {
      throw new IllegalArgumentException("bad resource type \"" + type + "\" in scope");
    }
    for (String action : actions) {
      if (action.isEmpty() || action.contains(",") || action.contains(":")
          || action.contains(" ")) {
        throw new IllegalArgumentException("bad action \"" + action + "\" in scope");
      }
    }
    actions = Collections.unmodifiableSortedSet(new TreeSet<>(actions));
  }

  /** A scope from explicit parts. */
  public static Scope of(String type, String name, Collection<String> actions) {
    return new Scope(type, name, new TreeSet<>(actions));
  }

  /** Access to one repository. */
  public static Scope repository(String repository, Collection<String> actions) {
    return of(REPOSITORY, repository, actions);
  }

  /** Pull access to one repository. */
  public static Scope pull(String repository) {
    return repository(repository, List.of("pull"));
  }

  /** Pull and push access to one repository, as pushing needs both. */
  public static Scope pullPush(String repository) {
    return repository(repository, List.of("pull", "push"));
  }

  /** Access to the registry catalog. */
  public static Scope catalog() {
    return of(REGISTRY, "catalog", List.of("*"));
  }

  /**
   * Parses one {@code type:name:actions}.
   *
   * @throws IllegalArgumentException naming the text when a part is missing
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

  /**
   * Parses the value of a {@code scope} parameter, which may hold several scopes separated by
   * spaces (the OAuth2 form and some clients send them so).
   *
   * @throws IllegalArgumentException naming the first malformed scope
   */
  public static List<Scope> parseAll(String text) {
    List<Scope> scopes = new ArrayList<>();
    for (String part : text.strip().split(" +")) {
      if (!part.isEmpty()) {
        scopes.add(parse(part));
      }
    }
    return List.copyOf(scopes);
  }

  /** True when this scope grants every action {@code other} asks for on the same resource. */
  public boolean covers(Scope other) {
    return type.equals(other.type)
        && name.equals(other.name)
        && (actions.contains("*") || actions.containsAll(other.actions));
  }

  /** The same resource with other actions. */
  public Scope withActions(Collection<String> newActions) {
    return of(type, name, newActions);
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
