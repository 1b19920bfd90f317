package io.slipway.registry.auth;

import io.slipway.oci.auth.Scope;
import java.net.URI;
import java.util.Map;
import java.util.TreeSet;

/**
 * The {@link Authorizer} of a registry with token auth on: a request must carry {@code
 * Authorization: Bearer <token>} whose token the {@link TokenVerifier} accepts and whose {@code
 * access} claim covers the call; otherwise the answer is 401 with {@code WWW-Authenticate: Bearer
 * realm="…",service="…",scope="…"} naming the scope to ask the token service for, plus {@code
 * error="invalid_token"} for a token that failed verification or {@code error="insufficient_scope"}
 * for a valid token that lacks the scope. The catalog is filtered by the access policy for the
 * token's subject, and by what the token itself grants. Immutable, so safe for concurrent use.
 */
public final class TokenAuthorizer implements Authorizer {
  private static final String BEARER = "Bearer ";

  private final TokenVerifier verifier;
  private final String realm;
  private final AccessPolicy policy;

  /**
   * An authorizer accepting what {@code verifier} accepts and sending clients to {@code realm}
   * (absolute, or a path such as {@code /token} resolved against the address the request came to).
   */
  public TokenAuthorizer(TokenVerifier verifier, String realm, AccessPolicy policy) {
    this.verifier = verifier;
    this.realm = realm;
    this.policy = policy;
  }

  @Override
  public AuthDecision authorize(AccessRequest request) {
    Scope wanted = scopeOf(request);
    String header = request.authorization();
    if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return challenge(request, wanted, null, "authentication required");
    }
    VerifiedToken token;
    try {
      token = verifier.verify(header.substring(BEARER.length()).strip());
    } catch (InvalidTokenException e) {
      return challenge(request, wanted, "invalid_token", e.getMessage());
    }
    if (wanted != null && !token.grants(wanted)) {
      return challenge(
          request, wanted, "insufficient_scope", "the token does not grant " + wanted);
    }
    Principal principal =
        token.subject().isEmpty() ? Principal.ANONYMOUS : policy.principal(token.subject());
    return new AuthDecision.Allowed(new Caller(principal, token.access(), false));
  }

  /**
   * What the token grants, or what the policy lets the token's subject pull: a client cannot know
   * which repository a mount without {@code from} reads, nor ask for the catalog's repositories one
   * by one, so the registry applies the same policy its token service would.
   */
  @Override
  public boolean mayPull(Caller caller, String repository) {
    return caller.unrestricted()
        || caller.granted().stream().anyMatch(scope -> scope.covers(Scope.pull(repository)))
        || policy.allowed(caller.principal(), repository).contains(Action.PULL);
  }

  /** The scope a request needs, or null for the API base, which any valid token may call. */
  private static Scope scopeOf(AccessRequest request) {
    return switch (request.resource()) {
      case AccessRequest.Resource.Base base -> null;
      case AccessRequest.Resource.Catalog catalog -> Scope.catalog();
      case AccessRequest.Resource.Repository repository -> {
        TreeSet<String> actions = new TreeSet<>();
        request.actions().forEach(action -> actions.add(action.wireName()));
        yield Scope.repository(repository.name(), actions);
      }
    };
  }

  private AuthDecision challenge(AccessRequest request, Scope wanted, String error, String message) {
    StringBuilder value = new StringBuilder("Bearer realm=\"")
        .append(realmFor(request.origin()))
        .append("\",service=\"")
        .append(verifier.audience())
        .append('"');
    if (wanted != null) {
      value.append(",scope=\"").append(wanted).append('"');
    }
    if (error != null) {
      value.append(",error=\"").append(error).append('"');
    }
    return new AuthDecision.Refused(
        401, "UNAUTHORIZED", message, Map.of("WWW-Authenticate", value.toString()));
  }

  private String realmFor(URI origin) {
    if (realm.startsWith("/")) {
      return origin.resolve(realm).toString();
    }
    return realm;
  }
}
