package io.slipway.registry.auth;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What a caller may do to a repository, as named in token scopes and in the access policy. {@code
 * *} in a scope stands for all of them. Immutable.
 */
public enum Action {
  /** Read manifests, blobs, tags and referrers. */
  PULL,
  /** Upload blobs and put manifests and tags. */
  PUSH,
  /** Delete manifests, tags and blobs. */
  DELETE;

  /** The wire name, such as {@code pull}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The action of a wire name; empty for names this registry does not know. */
  public static Optional<Action> fromWireName(String name) {
    for (Action action : values()) {
      if (action.wireName().equals(name)) {
        return Optional.of(action);
      }
    }
    return Optional.empty();
  }

  /**
   * The actions a scope's action list names; {@code *} means all, unknown names are dropped (the
   * token specification says a server grants only what it understands).
   */
  public static Set<Action> fromWireNames(Iterable<String> names) {
    EnumSet<Action> actions = EnumSet.noneOf(Action.class);
    for (String name : names) {
      if ("*".equals(name)) {
        return EnumSet.allOf(Action.class);
      }
      fromWireName(name).ifPresent(actions::add);
    }
    return actions;
  }
}
