package io.slipway.registry.auth;

import java.util.List;

/**
 * The {@link Authorizer} of a registry without access control: allows every call and lists every
 * repository. Stateless, so safe for concurrent use.
 */
final class DisabledAuthorizer implements Authorizer {
  static final DisabledAuthorizer INSTANCE = new DisabledAuthorizer();

  private static final AuthDecision.Allowed ALLOWED = new AuthDecision.Allowed(Caller.UNRESTRICTED);

  private DisabledAuthorizer() {}

  @Override
  public AuthDecision authorize(AccessRequest request) {
    return ALLOWED;
  }

  @Override
  public boolean mayPull(Caller caller, String repository) {
    return true;
  }

  @Override
  public List<String> visibleRepositories(Caller caller, List<String> repositories) {
    return List.copyOf(repositories);
  }
}
