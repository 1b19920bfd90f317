package io.slipway.client.auth;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Gets a token from a Bearer challenge's realm, choosing the request the way docker does: a held
 * refresh token (from an earlier answer or docker's {@code identitytoken}) is exchanged with the
 * OAuth2 POST; otherwise a GET with Basic credentials or anonymously, falling back to the OAuth2
 * POST with {@code grant_type=password} when the endpoint does not serve GET (404 or 405).
 *
 * <p>Every request has the configured timeout, so a hung endpoint fails with an error naming it.
 * Stateless apart from its immutable settings; thread-safe.
 */
final class TokenFetcher {
  private final HttpClient http;
  private final Clock clock;
  private final Duration timeout;
  private final String clientId;

  TokenFetcher(HttpClient http, Clock clock, Duration timeout, String clientId) {
    this.http = Objects.requireNonNull(http);
    this.clock = Objects.requireNonNull(clock);
    this.timeout = Objects.requireNonNull(timeout);
    this.clientId = Objects.requireNonNull(clientId);
  }

  Duration timeout() {
    return timeout;
  }

  /** Fetches a token; {@code previous} (may be null) is the stale token whose refresh token to use. */
  Token fetch(URI realm, String service, ScopeSet scopes, Credential credential, Token previous)
      throws IOException, InterruptedException {
    String held = previous == null ? null : previous.refreshToken().orElse(null);
    final String refresh = held == null && credential instanceof Credential.IdentityToken identity
        ? identity.refreshToken()
        : held;
    if (refresh != null) {
      HttpResponse<byte[]> response = call(realm, () -> TokenPost.send(
          http, realm, service, scopes, "refresh_token", List.of("refresh_token", refresh),
          clientId, timeout));
      if (response.statusCode() == 200) {
        return keepRefreshToken(TokenResponse.read(realm, response.body(), clock), refresh);
      }
      if (credential instanceof Credential.IdentityToken) {
        throw refused(realm, response, credential,
            "refused the identity token with grant_type=refresh_token");
      }
      // The refresh token from an earlier answer was revoked or expired: start over below.
    }
    HttpResponse<byte[]> response = call(realm, () ->
        TokenGet.send(http, realm, service, scopes, credential, clientId, timeout));
    if (response.statusCode() == 200) {
      return TokenResponse.read(realm, response.body(), clock);
    }
    if ((response.statusCode() == 404 || response.statusCode() == 405)
        && credential instanceof Credential.UsernamePassword basic) {
      HttpResponse<byte[]> posted = call(realm, () -> TokenPost.send(
          http, realm, service, scopes, "password",
          List.of("username", basic.username(), "password", basic.password()), clientId, timeout));
      if (posted.statusCode() == 200) {
        return TokenResponse.read(realm, posted.body(), clock);
      }
      throw refused(realm, posted, credential, "refused grant_type=password");
    }
    throw refused(realm, response, credential, "refused the token request");
  }

  private static Token keepRefreshToken(Token token, String refresh) {
    // OAuth2 servers may omit refresh_token when it stays valid; keep using the one we sent.
    return token.refreshToken().isPresent() ? token : token.withRefreshToken(refresh);
  }

  private static TokenFetchException refused(
      URI realm, HttpResponse<byte[]> response, Credential credential, String what) {
    int status = response.statusCode();
    String hint = switch (credential) {
      case Credential.Anonymous a -> " (no credentials were sent; run `slipway login`)";
      case Credential.UsernamePassword up -> " (as user " + up.username() + ")";
      case Credential.IdentityToken it -> " (with the identity token of " + it.username()
          + "; run `slipway login` again)";
    };
    return new TokenFetchException(realm, status,
        what + ": HTTP " + status + hint + ", " + TokenResponse.preview(response.body()));
  }

  private interface Call {
    HttpResponse<byte[]> send() throws IOException, InterruptedException;
  }

  private HttpResponse<byte[]> call(URI realm, Call call) throws IOException, InterruptedException {
    try {
      return call.send();
    } catch (HttpTimeoutException e) {
      throw new TokenFetchException(realm, "did not answer within " + timeout, e);
    } catch (ConnectException e) {
      throw new TokenFetchException(realm, "cannot connect: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new TokenFetchException(realm, "request failed: " + e, e);
    }
  }
}
