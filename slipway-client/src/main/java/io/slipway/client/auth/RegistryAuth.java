package io.slipway.client.auth;

import io.slipway.oci.auth.Scope;
import io.slipway.client.concurrent.SingleFlight;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Answers registries' authentication challenges with {@code Authorization} headers.
 *
 * <p>The first request to a registry goes out without credentials; its {@code 401} carries the
 * challenge, which is remembered per registry so later requests authenticate up front. A Bearer
 * challenge is answered with a token from the {@link TokenCache}; a Basic challenge with the
 * registry's user name and password. Credentials are looked up per registry through a {@link
 * SingleFlight}, so a hung credential helper for one registry delays no other registry, and no
 * lock is held while a credential or token is fetched. Safe for concurrent use.
 */
public final class RegistryAuth {

  /** Deadlines and the OAuth2 client id sent to token endpoints. */
  public record Settings(Duration tokenTimeout, Duration credentialTimeout, String clientId) {
    public Settings {
      Objects.requireNonNull(tokenTimeout, "tokenTimeout");
      Objects.requireNonNull(credentialTimeout, "credentialTimeout");
      Objects.requireNonNull(clientId, "clientId");
    }

    /** 30 s per token request, 10 s per credential look-up, client id {@code slipway}. */
    public static Settings defaults() {
      return new Settings(Duration.ofSeconds(30), Duration.ofSeconds(10), "slipway");
    }
  }

  /** Extra wait beyond a fetch's own deadline, so the fetch's more precise error normally wins. */
  private static final Duration MARGIN = Duration.ofSeconds(1);

  private final ConcurrentHashMap<String, AuthChallenge> challenges = new ConcurrentHashMap<>();
  /**
   * Credentials found per registry, kept for this object's lifetime: a Basic registry needs them
   * on every request, and a credential helper is a process start each time.
   */
  private final ConcurrentHashMap<String, Credential> found = new ConcurrentHashMap<>();
  private final SingleFlight<String, Credential> credentialFlights = new SingleFlight<>();
  private final CredentialSource credentials;
  private final TokenCache tokens;
  private final TokenFetcher fetcher;
  private final Settings settings;

  public RegistryAuth(
      HttpClient http, CredentialSource credentials, Settings settings, TokenCache tokens,
      Clock clock) {
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.tokens = Objects.requireNonNull(tokens, "tokens");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.fetcher = new TokenFetcher(http, clock, settings.tokenTimeout(), settings.clientId());
  }

  /**
   * The header to send with a request needing {@code scopes}, based on the registry's last
   * challenge; empty when the registry has not challenged yet or cannot be answered.
   */
  public Optional<String> authorization(String registry, ScopeSet scopes)
      throws IOException, InterruptedException {
    AuthChallenge challenge = challenges.get(registry);
    return challenge == null ? Optional.empty() : answer(registry, challenge, scopes);
  }

  /**
   * Handles a {@code 401}: remembers the challenge, forgets the rejected token, and returns the
   * header to retry with, or empty when the challenge cannot be answered (no credentials for a
   * Basic challenge, or only unknown schemes).
   *
   * @param headers the response's {@code WWW-Authenticate} headers
   * @param rejected the {@code Authorization} header the refused request carried, or null
   * @throws MalformedChallengeException when the headers do not parse or a Bearer challenge has
   *     no usable realm
   */
  public Optional<String> challenged(
      String registry, ScopeSet scopes, List<String> headers, String rejected)
      throws IOException, InterruptedException {
    List<AuthChallenge> parsed = WwwAuthenticate.parse(headers);
    Optional<AuthChallenge> chosen = parsed.stream().filter(AuthChallenge::isBearer).findFirst()
        .or(() -> parsed.stream().filter(AuthChallenge::isBasic).findFirst());
    if (chosen.isEmpty()) {
      return Optional.empty();
    }
    AuthChallenge challenge = chosen.get();
    ScopeSet wanted = scopes;
    if (challenge.isBearer()) {
      realm(challenge, String.join(", ", headers));
      List<Scope> asked = new ArrayList<>();
      for (String scope : challenge.parameter("scope").orElse("").split(" ")) {
        if (!scope.isBlank()) {
          try {
            asked.add(Scope.parse(scope));
          } catch (IllegalArgumentException e) {
            throw new MalformedChallengeException(String.join(", ", headers), 0,
                "scope \"" + scope + "\" is not type:name:actions");
          }
        }
      }
      wanted = scopes.with(asked);
      if (rejected != null && rejected.startsWith("Bearer ")) {
        tokens.invalidate(key(registry, challenge, wanted), rejected.substring(7));
        tokens.invalidate(key(registry, challenge, scopes), rejected.substring(7));
      }
    }
    challenges.put(registry, challenge);
    return answer(registry, challenge, wanted);
  }

  private Optional<String> answer(String registry, AuthChallenge challenge, ScopeSet scopes)
      throws IOException, InterruptedException {
    if (challenge.isBasic()) {
      return credential(registry) instanceof Credential.UsernamePassword basic
          ? Optional.of(basic.basicHeader())
          : Optional.empty();
    }
    URI realm = realm(challenge, challenge.toString());
    String service = challenge.parameter("service").orElse(null);
    Token token = tokens.get(key(registry, challenge, scopes), realm,
        previous -> fetcher.fetch(realm, service, scopes, credential(registry), previous),
        settings.tokenTimeout().plus(settings.credentialTimeout()).plus(MARGIN));
    return Optional.of("Bearer " + token.value());
  }

  private static TokenCache.Key key(String registry, AuthChallenge challenge, ScopeSet scopes) {
    return new TokenCache.Key(registry, challenge.parameter("service").orElse(""), scopes);
  }

  private Credential credential(String registry) throws IOException, InterruptedException {
    Credential known = found.get(registry);
    if (known != null) {
      return known;
    }
    try {
      Credential credential = credentialFlights.await(registry, () -> credentials.lookup(registry),
          settings.credentialTimeout().plus(MARGIN));
      found.put(registry, credential);
      return credential;
    } catch (TimeoutException e) {
      throw new CredentialHelperException("(credential look-up)",
          "no credentials for " + registry + " within " + settings.credentialTimeout());
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new CredentialHelperException("(credential look-up)",
          "failed for " + registry + ": " + e.getCause(), e.getCause());
    }
  }

  private static URI realm(AuthChallenge challenge, String header) throws MalformedChallengeException {
    String realm = challenge.parameter("realm").orElseThrow(() ->
        new MalformedChallengeException(header, 0, "Bearer challenge has no realm"));
    try {
      URI uri = new URI(realm);
      if (!"https".equalsIgnoreCase(uri.getScheme()) && !"http".equalsIgnoreCase(uri.getScheme())
          || uri.getHost() == null) {
        throw new MalformedChallengeException(header, 0,
            "Bearer realm \"" + realm + "\" is not an http(s) URL");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new MalformedChallengeException(header, 0,
          "Bearer realm \"" + realm + "\" is not a URL: " + e.getReason());
    }
  }
}
