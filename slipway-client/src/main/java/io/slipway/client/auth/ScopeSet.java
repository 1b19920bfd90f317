package io.slipway.client.auth;

import io.slipway.oci.auth.Scope;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A canonical set of scopes: scopes on the same resource merged into one, sorted. Two sets asking
 * for the same access are equal, which makes this usable in a token cache key. Immutable.
 */
public record ScopeSet(List<Scope> scopes) {

  public ScopeSet {
    Map<String, TreeSet<String>> merged = new LinkedHashMap<>();
    Map<String, Scope> first = new LinkedHashMap<>();
    for (Scope scope : scopes) {
      String resource = scope.type() + ":" + scope.name();
      merged.computeIfAbsent(resource, k -> new TreeSet<>()).addAll(scope.actions());
      first.putIfAbsent(resource, scope);
    }
    List<Scope> canonical = new ArrayList<>();
    first.forEach((resource, scope) ->
        canonical.add(Scope.of(scope.type(), scope.name(), merged.get(resource))));
    canonical.sort(null);
    scopes = List.copyOf(canonical);
  }

  /** A set of the given scopes. */
  public static ScopeSet of(Collection<Scope> scopes) {
    return new ScopeSet(List.copyOf(scopes));
  }

  /** A set of the given scopes. */
  public static ScopeSet of(Scope... scopes) {
    return new ScopeSet(List.of(scopes));
  }

  /** This set plus {@code more}. */
  public ScopeSet with(Collection<Scope> more) {
    List<Scope> all = new ArrayList<>(scopes);
    all.addAll(more);
    return new ScopeSet(all);
  }

  /** True when no scope is asked for. */
  public boolean isEmpty() {
    return scopes.isEmpty();
  }

  @Override
  public String toString() {
    return scopes.toString();
  }
}
