package io.slipway.registry.auth;

import java.net.URI;
import java.util.List;
import java.util.Set;

/**
 * The registry's router asks this before serving every call: {@link #authorize} answers whether
 * the request may go ahead or what 401 challenge to send. It also filters the catalog to the
 * repositories the caller may pull and tells whether a cross-repository mount may read its source
 * (without pull on it the registry starts a normal upload, 202, and leaks nothing). Implementations
 * must be safe for concurrent use and must not block on the network.
 */
public interface Authorizer {

  /** Decides one request. */
  AuthDecision authorize(AccessRequest request);

  /** The repositories of {@code repositories} the caller may pull, in order. */
  List<String> visibleRepositories(Caller caller, List<String> repositories);

  /**
   * True when the request's credentials grant pull on {@code source}, so that {@code POST
   * /v2/<name>/blobs/uploads/?mount=<digest>&from=<source>} may mount (201) rather than start an
   * upload (202).
   */
  default boolean mayMountFrom(String authorization, URI origin, String source) {
    return authorize(AccessRequest.repository(authorization, origin, source, Set.of(Action.PULL)))
        instanceof AuthDecision.Allowed;
  }

  /** The authorizer of a registry with auth disabled: everything is allowed to everyone. */
  static Authorizer disabled() {
    return DisabledAuthorizer.INSTANCE;
  }
}
