package io.slipway.registry.auth;

import java.util.List;

/**
 * The registry's router asks this before serving every call: {@link #authorize} answers whether
 * the request may go ahead or what 401 challenge to send. For an allowed caller, {@link #mayPull}
 * filters the catalog and decides whether a cross-repository mount may read its source (without
 * pull on it the registry starts a normal upload, 202, and leaks nothing). Implementations must be
 * safe for concurrent use and must not block on the network.
 */
public interface Authorizer {

  /** Decides one request. */
  AuthDecision authorize(AccessRequest request);

  /**
   * True when {@code caller} may read {@code repository}: what the catalog lists, and whether
   * {@code POST /v2/<name>/blobs/uploads/?mount=<digest>[&from=<source>]} may mount from a
   * repository (201) rather than start an upload (202).
   */
  boolean mayPull(Caller caller, String repository);

  /** The repositories of {@code repositories} the caller may pull, in order. */
  default List<String> visibleRepositories(Caller caller, List<String> repositories) {
    List<String> visible = new java.util.ArrayList<>();
    for (String repository : repositories) {
      if (mayPull(caller, repository)) {
        visible.add(repository);
      }
    }
    return visible;
  }

  /** The authorizer of a registry with auth disabled: everything is allowed to everyone. */
  static Authorizer disabled() {
    return DisabledAuthorizer.INSTANCE;
  }
}
