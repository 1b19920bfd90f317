package io.slipway.registry.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.slipway.oci.Digest;
import io.slipway.registry.RegistryConfig;
import io.slipway.registry.RegistryServer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The token endpoint and the registry's challenges over HTTP, on a registry with auth on. */
class TokenEndpointTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  RegistryServer server;
  final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeEach
  void start() throws Exception {
    Path htpasswd = dir.resolve("htpasswd");
    for (String user : AuthFixture.USERS) {
      HtpasswdFile.putUser(htpasswd, user, AuthFixture.PASSWORD.toCharArray(), 4);
    }
    AuthConfig config =
        AuthConfig.builtIn(htpasswd, dir.resolve("token-key.pem"), AuthFixture.rules(),
                Map.of("devs", List.of("alice", "bob"), "admins", List.of("carol")))
            .withFailedLoginLimit(3, Duration.ofMinutes(1));
    server = RegistryServer.start(
        RegistryConfig.defaults(dir.resolve("root")).withAddress("127.0.0.1", 0),
        RegistryAuth.open(config, Clock.systemUTC()));
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  @Test
  void issuesTokenThatPushesWhenGetCarriesBasicCredentials() throws Exception {
    HttpResponse<String> response = get("/token?service=slipway&scope="
        + encode("repository:team/app:pull,push"), basic("alice"));

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.path("token").asText()).isEqualTo(body.path("access_token").asText()).isNotEmpty();
    assertThat(body.path("expires_in").asLong()).isEqualTo(300);
    assertThat(body.path("issued_at").asText()).endsWith("Z");
    assertThat(body.has("refresh_token")).isFalse();
    assertThat(pushBlob("team/app", body.path("token").asText()).statusCode()).isEqualTo(201);
  }

  @Test
  void grantsAnonymousPolicyWhenGetHasNoCredentials() throws Exception {
    String token = JSON.readTree(get("/token?service=slipway&scope="
        + encode("repository:public/base:pull,push"), null).body()).path("token").asText();

    assertThat(pushBlob("public/base", token).statusCode()).isEqualTo(401);
    HttpResponse<String> tags = send("GET", "/v2/public/base/tags/list", null, "Bearer " + token);
    assertThat(tags.statusCode()).as(tags.body()).isEqualTo(404);
  }

  @Test
  void challengesWithBearerRealmWhenRegistryCallHasNoToken() throws Exception {
    HttpResponse<String> base = send("GET", "/v2/", null, null);
    HttpResponse<String> push = pushBlob("team/app", null);

    String origin = "http://127.0.0.1:" + server.port();
    assertThat(base.statusCode()).isEqualTo(401);
    assertThat(base.headers().firstValue("WWW-Authenticate")).contains(
        "Bearer realm=\"" + origin + "/token\",service=\"slipway\"");
    assertThat(push.statusCode()).isEqualTo(401);
    assertThat(push.headers().firstValue("WWW-Authenticate")).contains(
        "Bearer realm=\"" + origin + "/token\",service=\"slipway\",scope=\"repository:team/app:pull,push\"");
    assertThat(JSON.readTree(push.body()).path("errors").path(0).path("code").asText())
        .isEqualTo("UNAUTHORIZED");
    assertThat(push.headers().firstValue("Docker-Distribution-API-Version")).contains("registry/2.0");
  }

  @Test
  void refusesWithBasicChallengeWhenPasswordIsWrong() throws Exception {
    HttpResponse<String> response = get("/token?service=slipway", "Basic "
        + Base64.getEncoder().encodeToString("alice:wrong".getBytes(StandardCharsets.UTF_8)));

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate")).contains("Basic realm=\"slipway\"");
  }

  @Test
  void refusesWhenServiceIsNotThisRegistry() throws Exception {
    HttpResponse<String> response = get("/token?service=docker.io", basic("alice"));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("not \\\"docker.io\\\"");
  }

  @Test
  void issuesRefreshTokenThatRenewsAccessWhenPostAsksOffline() throws Exception {
    HttpResponse<String> login = post(Map.of("grant_type", "password", "username", "bob",
        "password", AuthFixture.PASSWORD, "client_id", "slipway-test", "access_type", "offline",
        "service", "slipway", "scope", "repository:team/app:pull repository:team/secret:pull"));
    assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
    JsonNode first = JSON.readTree(login.body());
    assertThat(first.path("scope").asText()).isEqualTo("repository:team/app:pull");
    String refresh = first.path("refresh_token").asText();
    assertThat(refresh).isNotEmpty();

    HttpResponse<String> renewed = post(Map.of("grant_type", "refresh_token",
        "refresh_token", refresh, "client_id", "slipway-test", "service", "slipway",
        "scope", "repository:team/app:pull,push"));

    assertThat(renewed.statusCode()).as(renewed.body()).isEqualTo(200);
    JsonNode second = JSON.readTree(renewed.body());
    assertThat(second.path("scope").asText()).isEqualTo("repository:team/app:pull,push");
    assertThat(pushBlob("team/app", second.path("access_token").asText()).statusCode()).isEqualTo(201);
    // A refresh token is not an access token: its audience is not the registry's service.
    assertThat(pushBlob("team/app", refresh).statusCode()).isEqualTo(401);
  }

  @Test
  void refusesPostWhenGrantTypeIsUnknownOrRefreshTokenForged() throws Exception {
    HttpResponse<String> unknown = post(Map.of("grant_type", "client_credentials", "client_id", "x"));
    HttpResponse<String> forged = post(Map.of("grant_type", "refresh_token",
        "refresh_token", "e30.e30.e30", "client_id", "x"));

    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(unknown.body()).path("error").asText()).isEqualTo("unsupported_grant_type");
    assertThat(forged.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(forged.body()).path("error").asText()).isEqualTo("invalid_grant");
  }

  @Test
  void answers429WithRetryAfterWhenAddressFailsTooOften() throws Exception {
    String wrong = "Basic " + Base64.getEncoder().encodeToString("nobody:guess".getBytes(StandardCharsets.UTF_8));
    for (int i = 0; i < 3; i++) {
      assertThat(get("/token?service=slipway", wrong).statusCode()).isEqualTo(401);
    }

    HttpResponse<String> limited = get("/token?service=slipway", basic("alice"));

    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.headers().firstValue("Retry-After").map(Long::parseLong))
        .hasValueSatisfying(seconds -> assertThat(seconds).isBetween(1L, 60L));
    assertThat(get("/token?service=slipway", null).statusCode())
        .as("anonymous tokens need no login, so they are not limited").isEqualTo(200);
  }

  @Test
  void listsOnlyPullableRepositoriesWhenCatalogIsAsked() throws Exception {
    for (String repository : AuthFixture.REPOSITORIES) {
      assertThat(pushBlob(repository, token("carol", "repository:" + repository + ":pull,push")).statusCode())
          .isEqualTo(201);
    }

    HttpResponse<String> catalog = send("GET", "/v2/_catalog", null,
        "Bearer " + token("dave", "registry:catalog:*"));

    assertThat(catalog.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(catalog.body()).path("repositories").toString()).isEqualTo("[\"public/base\"]");
    HttpResponse<String> paged = send("GET", "/v2/_catalog?n=1", null,
        "Bearer " + token("alice", "registry:catalog:*"));
    assertThat(JSON.readTree(paged.body()).path("repositories").toString()).isEqualTo("[\"public/base\"]");
    assertThat(paged.headers().firstValue("Link")).contains("</v2/_catalog?n=1&last=public%2Fbase>; rel=\"next\"");
  }

  @Test
  void startsUploadInsteadOfMountingWhenCallerCannotPullSource() throws Exception {
    byte[] secret = "secret layer".getBytes(StandardCharsets.UTF_8);
    Digest digest = Digest.sha256(secret);
    send("POST", "/v2/team/secret/blobs/uploads/?digest=" + digest, secret,
        "Bearer " + token("carol", "repository:team/secret:pull,push"));
    String dave = token("dave", "repository:public/base:pull,push repository:team/secret:pull");

    HttpResponse<String> mount = send("POST",
        "/v2/public/base/blobs/uploads/?mount=" + digest + "&from=team/secret", null, "Bearer " + dave);
    HttpResponse<String> guess = send("POST",
        "/v2/public/base/blobs/uploads/?mount=" + digest, null, "Bearer " + dave);

    assertThat(mount.statusCode()).isEqualTo(202);
    assertThat(guess.statusCode()).isEqualTo(202);
    HttpResponse<String> carolMount = send("POST",
        "/v2/public/base/blobs/uploads/?mount=" + digest + "&from=team/secret", null,
        "Bearer " + token("carol", "repository:public/base:pull,push repository:team/secret:pull"));
    assertThat(carolMount.statusCode()).isEqualTo(201);
  }

  private String token(String user, String scopes) throws Exception {
    HttpResponse<String> response = get("/token?service=slipway&scope=" + encode(scopes), basic(user));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body()).path("token").asText();
  }

  private HttpResponse<String> pushBlob(String repository, String token) throws Exception {
    byte[] content = ("blob for " + repository).getBytes(StandardCharsets.UTF_8);
    return send("POST", "/v2/" + repository + "/blobs/uploads/?digest=" + Digest.sha256(content),
        content, token == null ? null : "Bearer " + token);
  }

  private static String basic(String user) {
    return "Basic " + Base64.getEncoder().encodeToString(
        (user + ":" + AuthFixture.PASSWORD).getBytes(StandardCharsets.UTF_8));
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  private HttpResponse<String> get(String path, String authorization) throws Exception {
    return send("GET", path, null, authorization);
  }

  private HttpResponse<String> post(Map<String, String> form) throws Exception {
    StringBuilder body = new StringBuilder();
    form.forEach((key, value) -> body.append(body.isEmpty() ? "" : "&").append(encode(key)).append('=').append(encode(value)));
    HttpRequest request = HttpRequest.newBuilder(URI.create(server.baseUri() + "/token"))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
        .build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> send(String method, String path, byte[] body, String authorization)
      throws Exception {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(server.baseUri() + path))
        .timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    return client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
  }
}
