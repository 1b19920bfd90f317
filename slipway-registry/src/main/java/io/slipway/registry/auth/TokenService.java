package io.slipway.registry.auth;

import io.slipway.oci.auth.Scope;
import io.slipway.oci.reference.RepositoryName;
import io.slipway.registry.auth.TokenRequest.Credentials;
import io.slipway.registry.auth.TokenRequestException.Kind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The built-in token service of the docker registry token specification, apart from HTTP: checks
 * the credentials (with failed-login rate limiting per source address), grants each requested
 * scope the intersection of the requested and the allowed actions (a partial or empty grant is not
 * an error, as the specification says), and signs the token. Offline requests also get a refresh
 * token, which is itself a signed JWT for the refresh audience, so refresh works across restarts
 * and dies with the user's htpasswd entry. Safe for concurrent use.
 */
public final class TokenService {
  private final TokenIssuer issuer;
  private final TokenVerifier refreshVerifier;
  private final UserAuthenticator users;
  private final AccessPolicy policy;
  private final LoginRateLimiter limiter;

  /** A service signing with {@code issuer}, verifying refresh tokens with {@code verifier}. */
  public TokenService(
      TokenIssuer issuer,
      TokenVerifier refreshVerifier,
      UserAuthenticator users,
      AccessPolicy policy,
      LoginRateLimiter limiter) {
    this.issuer = issuer;
    this.refreshVerifier = refreshVerifier;
    this.users = users;
    this.policy = policy;
    this.limiter = limiter;
  }

  /** The settings tokens are issued under. */
  public TokenSettings settings() {
    return issuer.settings();
  }

  /**
   * Authenticates the request and signs a token for what the caller may have of what it asked.
   *
   * @throws TokenRequestException for a wrong service, bad credentials, a bad refresh token, or an
   *     address over its failed-login limit
   */
  public TokenGrant issue(TokenRequest request) throws TokenRequestException {
    TokenSettings settings = issuer.settings();
    if (request.service() != null && !request.service().equals(settings.service())) {
      throw new TokenRequestException(
          Kind.INVALID_REQUEST,
          "this token service issues tokens for service \"" + settings.service()
              + "\", not \"" + request.service() + "\"");
    }
    Principal principal = authenticate(request);
    List<Scope> granted = grant(principal, request.scopes());
    TokenIssuer.IssuedToken token = issuer.issue(principal.name(), granted);
    String refresh =
        request.offline() && !principal.isAnonymous() ? issuer.issueRefresh(principal.name()) : null;
    return new TokenGrant(token.token(), token.issuedAt(), token.expiresIn(), granted, refresh);
  }

  private Principal authenticate(TokenRequest request) throws TokenRequestException {
    return switch (request.credentials()) {
      case Credentials.Anonymous anonymous -> Principal.ANONYMOUS;
      case Credentials.Password password -> {
        checkRate(request.clientAddress());
        try {
          Optional<Principal> user = users.authenticate(password.user(), password.password());
          if (user.isEmpty()) {
            limiter.recordFailure(request.clientAddress());
            throw new TokenRequestException(
                Kind.INVALID_CREDENTIALS, "unknown user or wrong password");
          }
          limiter.recordSuccess(request.clientAddress());
          yield user.get();
        } finally {
          password.clear();
        }
      }
      case Credentials.Refresh refresh -> {
        checkRate(request.clientAddress());
        String subject;
        try {
          subject =
              refreshVerifier.verify(refresh.token(), issuer.settings().refreshAudience()).subject();
        } catch (InvalidTokenException e) {
          limiter.recordFailure(request.clientAddress());
          throw new TokenRequestException(Kind.INVALID_GRANT, "refresh token refused: " + e.getMessage());
        }
        if (subject.isEmpty() || !users.exists(subject)) {
          limiter.recordFailure(request.clientAddress());
          throw new TokenRequestException(Kind.INVALID_GRANT, "the refresh token's user no longer exists");
        }
        yield policy.principal(subject);
      }
    };
  }

  private void checkRate(String address) throws TokenRequestException {
    Optional<Duration> wait = limiter.retryAfter(address);
    if (wait.isPresent()) {
      throw new TokenRequestException(
          Kind.RATE_LIMITED,
          "too many failed logins from " + address + "; retry in " + wait.get().toSeconds() + "s",
          wait.get());
    }
  }

  /** Each requested scope cut down to what the policy allows; scopes granting nothing are left out. */
  private List<Scope> grant(Principal principal, List<Scope> requested) {
    List<Scope> granted = new ArrayList<>();
    for (Scope scope : requested) {
      switch (scope.type()) {
        case Scope.REPOSITORY -> {
          if (!RepositoryName.isValid(scope.name())) {
            continue;
          }
          Set<Action> asked = Action.fromWireNames(scope.actions());
          Set<Action> allowed = asked.isEmpty()
              ? EnumSet.noneOf(Action.class)
              : policy.grant(principal, scope.name(), asked);
          if (!allowed.isEmpty()) {
            TreeSet<String> names = new TreeSet<>();
            allowed.forEach(action -> names.add(action.wireName()));
            granted.add(scope.withActions(names));
          }
        }
        case Scope.REGISTRY -> {
          // The catalog is filtered to what the caller may pull, so asking for it reveals nothing.
          if ("catalog".equals(scope.name()) && scope.actions().contains("*")) {
            granted.add(Scope.catalog());
          }
        }
        default -> {
          // Resource types this registry does not know grant nothing.
        }
      }
    }
    return List.copyOf(granted);
  }
}
