package io.slipway.client.auth;

import io.slipway.oci.auth.Scope;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.client.testing.FakeTokenServer;
import io.slipway.client.testing.FakeTokenServer.Mode;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RegistryAuthTest {
  private static final String REGISTRY = "registry.test";
  private final FakeTokenServer server = startServer();
  private final HttpClient http = HttpClient.newHttpClient();
  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-24T00:00:00Z"));
  private final Clock clock = new Clock() {
    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  };

  private static FakeTokenServer startServer() {
    try {
      return new FakeTokenServer().user("alice", "secret");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private RegistryAuth auth(Credential credential) {
    return new RegistryAuth(http, registry -> credential,
        new RegistryAuth.Settings(Duration.ofSeconds(5), Duration.ofSeconds(5), "slipway-test"),
        new TokenCache(clock), clock);
  }

  private List<String> challenge() {
    return List.of("Bearer realm=\"" + server.realm() + "\",service=\"test\"");
  }

  @Test
  void doesFetchTokenAnonymouslyWhenNoCredentials() throws Exception {
    RegistryAuth auth = auth(new Credential.Anonymous());
    String header = auth.challenged(REGISTRY, ScopeSet.of(Scope.pull("app")), challenge(), null)
        .orElseThrow();
    assertThat(header).startsWith("Bearer tok-");
    assertThat(server.isValid(header.substring(7), "repository:app:pull")).isTrue();
    FakeTokenServer.Seen request = server.seen().getFirst();
    assertThat(request.method()).isEqualTo("GET");
    assertThat(request.authorization()).isNull();
    assertThat(request.fields()).containsEntry("service", "test");
  }

  @Test
  void doesReuseTokenWhenItIsFresh() throws Exception {
    RegistryAuth auth = auth(new Credential.UsernamePassword("alice", "secret"));
    ScopeSet scopes = ScopeSet.of(Scope.pull("app"));
    String first = auth.challenged(REGISTRY, scopes, challenge(), null).orElseThrow();
    String again = auth.authorization(REGISTRY, scopes).orElseThrow();
    assertThat(again).isEqualTo(first);
    assertThat(server.seen()).hasSize(1);
  }

  @Test
  void doesUseRefreshTokenWhenTokenReachesNinetyPercentOfLifetime() throws Exception {
    server.expiresIn(10);
    RegistryAuth auth = auth(new Credential.UsernamePassword("alice", "secret"));
    ScopeSet scopes = ScopeSet.of(Scope.pullPush("app"));
    String first = auth.challenged(REGISTRY, scopes, challenge(), null).orElseThrow();
    now.set(now.get().plusSeconds(8));
    assertThat(auth.authorization(REGISTRY, scopes).orElseThrow()).isEqualTo(first);
    now.set(now.get().plusSeconds(1));
    String second = auth.authorization(REGISTRY, scopes).orElseThrow();
    assertThat(second).isNotEqualTo(first);
    assertThat(server.seen()).extracting(FakeTokenServer.Seen::method).containsExactly("GET", "POST");
    assertThat(server.seen().get(0).fields()).containsEntry("offline_token", "true");
    assertThat(server.seen().get(1).fields()).containsEntry("grant_type", "refresh_token");
  }

  @Test
  void doesFallBackToPasswordGrantWhenEndpointIsPostOnly() throws Exception {
    server.mode(Mode.POST_ONLY);
    RegistryAuth auth = auth(new Credential.UsernamePassword("alice", "secret"));
    String header = auth.challenged(REGISTRY, ScopeSet.of(Scope.pull("app")), challenge(), null)
        .orElseThrow();
    assertThat(header).startsWith("Bearer tok-");
    assertThat(server.seen()).extracting(FakeTokenServer.Seen::method).containsExactly("GET", "POST");
    Map<String, String> form = server.seen().get(1).fields();
    assertThat(form).containsEntry("grant_type", "password").containsEntry("username", "alice")
        .containsEntry("scope", "repository:app:pull");
  }

  @Test
  void doesExchangeIdentityTokenWhenConfigHoldsOne() throws Exception {
    RegistryAuth auth = auth(new Credential.IdentityToken("alice", server.issueRefreshToken("alice")));
    String header = auth.challenged(REGISTRY, ScopeSet.of(Scope.pull("app")), challenge(), null)
        .orElseThrow();
    assertThat(header).startsWith("Bearer tok-");
    assertThat(server.seen()).extracting(FakeTokenServer.Seen::method).containsExactly("POST");
    assertThat(server.seen().getFirst().fields()).containsEntry("grant_type", "refresh_token");
  }

  @Test
  void doesFailClearlyWhenIdentityTokenIsRevoked() {
    RegistryAuth auth = auth(new Credential.IdentityToken("alice", "revoked"));
    assertThatThrownBy(() ->
        auth.challenged(REGISTRY, ScopeSet.of(Scope.pull("app")), challenge(), null))
        .isInstanceOf(TokenFetchException.class)
        .hasMessageContaining("refused the identity token")
        .hasMessageContaining("HTTP 401")
        .hasMessageContaining(server.realm().toString());
  }

  @Test
  void doesFailClearlyWhenEndpointIsGetOnlyAndPasswordIsWrong() {
    server.mode(Mode.GET_ONLY);
    RegistryAuth auth = auth(new Credential.UsernamePassword("alice", "wrong"));
    assertThatThrownBy(() ->
        auth.challenged(REGISTRY, ScopeSet.of(Scope.pull("app")), challenge(), null))
        .isInstanceOf(TokenFetchException.class)
        .hasMessageContaining("HTTP 401")
        .hasMessageContaining("as user alice");
  }

  @Test
  void doesRejectAnswerWhenItIsNotJson() {
    server.rawAnswer("<html>login page</html>");
    RegistryAuth auth = auth(new Credential.Anonymous());
    assertThatThrownBy(() ->
        auth.challenged(REGISTRY, ScopeSet.of(Scope.pull("app")), challenge(), null))
        .isInstanceOf(TokenFetchException.class)
        .hasMessageContaining("answer is not JSON")
        .hasMessageContaining("<html>login page");
  }

  @Test
  void doesRejectAnswerWhenItHasNoToken() {
    server.rawAnswer("{\"expires_in\": 60}");
    RegistryAuth auth = auth(new Credential.Anonymous());
    assertThatThrownBy(() ->
        auth.challenged(REGISTRY, ScopeSet.of(Scope.pull("app")), challenge(), null))
        .isInstanceOf(TokenFetchException.class)
        .hasMessageContaining("neither \"token\" nor \"access_token\"");
  }

  @Test
  void doesDefaultLifetimeToSixtySecondsWhenExpiresInIsAbsent() throws Exception {
    server.rawAnswer("{\"access_token\": \"abc\"}");
    RegistryAuth auth = auth(new Credential.Anonymous());
    ScopeSet scopes = ScopeSet.of(Scope.pull("app"));
    assertThat(auth.challenged(REGISTRY, scopes, challenge(), null)).contains("Bearer abc");
    now.set(now.get().plusSeconds(53));
    auth.authorization(REGISTRY, scopes);
    assertThat(server.seen()).hasSize(1);
    now.set(now.get().plusSeconds(1));
    auth.authorization(REGISTRY, scopes);
    assertThat(server.seen()).hasSize(2);
  }

  @Test
  void doesAnswerBasicChallengeWhenRegistryUsesBasic() throws Exception {
    RegistryAuth auth = auth(new Credential.UsernamePassword("alice", "secret"));
    assertThat(auth.challenged(REGISTRY, ScopeSet.of(), List.of("Basic realm=\"reg\""), null))
        .contains("Basic YWxpY2U6c2VjcmV0");
    assertThat(auth(new Credential.Anonymous())
        .challenged(REGISTRY, ScopeSet.of(), List.of("Basic realm=\"reg\""), null)).isEmpty();
  }

  @Test
  void doesRejectBearerChallengeWhenRealmIsMissingOrNotHttp() {
    RegistryAuth auth = auth(new Credential.Anonymous());
    assertThatThrownBy(() -> auth.challenged(REGISTRY, ScopeSet.of(),
        List.of("Bearer service=\"x\""), null))
        .isInstanceOf(MalformedChallengeException.class).hasMessageContaining("has no realm");
    assertThatThrownBy(() -> auth.challenged(REGISTRY, ScopeSet.of(),
        List.of("Bearer realm=\"file:///etc/passwd\""), null))
        .isInstanceOf(MalformedChallengeException.class).hasMessageContaining("not an http(s) URL");
  }
}
