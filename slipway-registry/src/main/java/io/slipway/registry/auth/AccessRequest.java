package io.slipway.registry.auth;

import java.net.URI;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What the router asks the {@link Authorizer} before serving a call: the credentials the request
 * carried, where the request arrived (to make a relative token realm absolute), and the resource
 * and actions the call needs. Immutable.
 *
 * @param authorization the {@code Authorization} header, or null when absent
 * @param origin scheme, host and port the request was addressed to, such as {@code
 *     https://127.0.0.1:5000}
 * @param resource what the call touches
 * @param actions what the call does to a repository; empty for the API base and the catalog
 */
public record AccessRequest(String authorization, URI origin, Resource resource, Set<Action> actions) {

  public AccessRequest {
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(resource, "resource");
    actions = actions.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(actions));
    if (resource instanceof Resource.Repository && actions.isEmpty()) {
      throw new IllegalArgumentException("a repository request needs at least one action");
    }
  }

  /** {@code GET /v2/}: any valid credentials will do. */
  public static AccessRequest base(String authorization, URI origin) {
    return new AccessRequest(authorization, origin, new Resource.Base(), Set.of());
  }

  /** {@code GET /v2/_catalog}. */
  public static AccessRequest catalog(String authorization, URI origin) {
    return new AccessRequest(authorization, origin, new Resource.Catalog(), Set.of());
  }

  /** A call on one repository needing {@code actions}. */
  public static AccessRequest repository(
      String authorization, URI origin, String repository, Set<Action> actions) {
    return new AccessRequest(authorization, origin, new Resource.Repository(repository), actions);
  }

  /**
   * The actions a registry call with {@code method} needs, as distribution maps them: reads pull;
   * uploads and manifest puts pull and push (a client pushing reads back what it wrote); DELETE
   * deletes.
   */
  public static Set<Action> actionsFor(String method) {
    return switch (method) {
      case "GET", "HEAD" -> EnumSet.of(Action.PULL);
      case "DELETE" -> EnumSet.of(Action.DELETE);
      default -> EnumSet.of(Action.PULL, Action.PUSH);
    };
  }

  /** What a request touches. Closed: the router has exactly these kinds of calls. */
  public sealed interface Resource {
    /** The API version check, {@code /v2/}. */
    record Base() implements Resource {}

    /** The repository list, {@code /v2/_catalog}. */
    record Catalog() implements Resource {}

    /**
     * One repository.
     *
     * @param name the repository name, already validated by the router
     */
    record Repository(String name) implements Resource {
      public Repository {
        Objects.requireNonNull(name, "name");
      }
    }
  }
}
