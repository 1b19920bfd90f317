package io.slipway.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.slipway.oci.Digest;
import io.slipway.registry.auth.AccessRule;
import io.slipway.registry.auth.Action;
import io.slipway.registry.auth.AuthConfig;
import io.slipway.registry.auth.HtpasswdFile;
import io.slipway.registry.auth.RegistryAuth;
import io.slipway.registry.auth.RepositoryGlob;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An in-process registry on an ephemeral loopback port plus an HTTP client for tests. With {@link
 * #withAuth} set, every registry starts with token auth on and the client answers each 401
 * challenge as docker does (token for the challenged scope from the realm, as a user with full
 * access, then the same request again), so the API tests prove the spec behaviour is unchanged
 * with auth enabled.
 */
final class TestRegistry implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Set by the {@code *WithAuthTest} subclasses around their run; tests run one class at a time. */
  static volatile boolean withAuth;

  private static final String ADMIN = "admin";
  private static final String ADMIN_PASSWORD = "admin-password";
  private static final Pattern CHALLENGE =
      Pattern.compile("Bearer realm=\"([^\"]*)\",service=\"([^\"]*)\"(?:,scope=\"([^\"]*)\")?.*");

  final RegistryServer server;
  final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final boolean authenticated;
  private final Map<String, String> tokens = new java.util.concurrent.ConcurrentHashMap<>();

  private TestRegistry(RegistryServer server, boolean authenticated) {
    this.server = server;
    this.authenticated = authenticated;
  }

  static TestRegistry start(Path root) throws Exception {
    return start(RegistryConfig.defaults(root).withAddress("127.0.0.1", 0));
  }

  static TestRegistry start(RegistryConfig config) throws Exception {
    if (!withAuth) {
      return new TestRegistry(RegistryServer.start(config), false);
    }
    Path auth = config.root().resolve("auth");
    HtpasswdFile.putUser(auth.resolve("htpasswd"), ADMIN, ADMIN_PASSWORD.toCharArray(), 4);
    AccessRule everything = new AccessRule(java.util.Set.of(ADMIN), java.util.Set.of(), false,
        RepositoryGlob.of("**"), java.util.EnumSet.allOf(Action.class));
    RegistryAuth registryAuth = RegistryAuth.open(
        AuthConfig.builtIn(auth.resolve("htpasswd"), auth.resolve("key.pem"), List.of(everything), Map.of()),
        java.time.Clock.systemUTC());
    return new TestRegistry(RegistryServer.start(config, registryAuth), true);
  }

  /** Sends a request; with auth on, answers a Bearer challenge once and sends it again. */
  private <T> HttpResponse<T> exchange(
      java.util.function.Function<String, HttpRequest> request, HttpResponse.BodyHandler<T> body)
      throws IOException, InterruptedException {
    HttpResponse<T> response = client.send(request.apply(null), body);
    if (!authenticated || response.statusCode() != 401) {
      return response;
    }
    Matcher challenge =
        CHALLENGE.matcher(response.headers().firstValue("WWW-Authenticate").orElse(""));
    if (!challenge.matches()) {
      return response;
    }
    String scope = challenge.group(3) == null ? "" : challenge.group(3);
    String token = token(challenge.group(1), challenge.group(2), scope);
    return client.send(request.apply("Bearer " + token), body);
  }

  URI uri(String pathAndQuery) {
    return URI.create(server.baseUri() + pathAndQuery);
  }

  /** A token for {@code scope} from the realm, as the full-access user; cached per scope. */
  private String token(String realm, String service, String scope)
      throws IOException, InterruptedException {
    String cached = tokens.get(scope);
    if (cached != null) {
      return cached;
    }
    String url = realm + "?service=" + URLEncoder.encode(service, StandardCharsets.UTF_8)
        + (scope.isEmpty() ? "" : "&scope=" + URLEncoder.encode(scope, StandardCharsets.UTF_8));
    HttpResponse<String> answer = client.send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                (ADMIN + ":" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() != 200) {
      throw new AssertionError("token for " + scope + ": " + answer.statusCode() + " " + answer.body());
    }
    String token = JSON.readTree(answer.body()).path("token").asText();
    tokens.put(scope, token);
    return token;
  }

  /**
   * The {@code Authorization} header line (with CRLF) a hand-written HTTP request needs for
   * {@code scope}, or nothing when auth is off.
   */
  String authorizationLine(String scope) throws IOException, InterruptedException {
    if (!authenticated) {
      return "";
    }
    return "Authorization: Bearer " + token(server.baseUri() + "/token", "slipway", scope) + "\r\n";
  }

  HttpResponse<String> send(String method, String path, byte[] body, String... headers)
      throws IOException, InterruptedException {
    return exchange(authorization -> {
      HttpRequest.Builder builder =
          HttpRequest.newBuilder(uri(path))
              .timeout(Duration.ofSeconds(30))
              .method(
                  method,
                  body == null
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofByteArray(body));
      if (headers.length > 0) {
        builder.headers(headers);
      }
      if (authorization != null) {
        builder.header("Authorization", authorization);
      }
      return builder.build();
    }, HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<byte[]> getBytes(String path, String... headers)
      throws IOException, InterruptedException {
    return exchange(authorization -> {
      HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30));
      if (headers.length > 0) {
        builder.headers(headers);
      }
      if (authorization != null) {
        builder.header("Authorization", authorization);
      }
      return builder.GET().build();
    }, HttpResponse.BodyHandlers.ofByteArray());
  }

  /** Pushes a blob monolithically; returns its digest. */
  Digest pushBlob(String name, byte[] content) throws Exception {
    Digest digest = Digest.sha256(content);
    HttpResponse<String> response =
        send("POST", "/v2/" + name + "/blobs/uploads/?digest=" + digest, content);
    if (response.statusCode() != 201) {
      throw new AssertionError("push blob: " + response.statusCode() + " " + response.body());
    }
    return digest;
  }

  /** Pushes an image manifest naming the given config and layers; returns its bytes. */
  byte[] imageManifest(Digest config, long configSize, Map<Digest, Long> layers) {
    StringBuilder json = new StringBuilder();
    json.append("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",")
        .append("\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"")
        .append(config).append("\",\"size\":").append(configSize).append("},\"layers\":[");
    String separator = "";
    for (var layer : layers.entrySet()) {
      json.append(separator)
          .append("{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"")
          .append(layer.getKey()).append("\",\"size\":").append(layer.getValue()).append("}");
      separator = ",";
    }
    json.append("]}");
    return json.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Pushes a one-layer image and tags it; returns the manifest bytes. */
  byte[] pushImage(String name, String tag, String seed) throws Exception {
    byte[] config = ("{\"seed\":\"" + seed + "\"}").getBytes(StandardCharsets.UTF_8);
    byte[] layer = ("layer " + seed).getBytes(StandardCharsets.UTF_8);
    Digest configDigest = pushBlob(name, config);
    Digest layerDigest = pushBlob(name, layer);
    byte[] manifest = imageManifest(configDigest, config.length, Map.of(layerDigest, (long) layer.length));
    HttpResponse<String> response =
        send("PUT", "/v2/" + name + "/manifests/" + tag, manifest,
            "Content-Type", "application/vnd.oci.image.manifest.v1+json");
    if (response.statusCode() != 201) {
      throw new AssertionError("push manifest: " + response.statusCode() + " " + response.body());
    }
    return manifest;
  }

  static JsonNode json(HttpResponse<String> response) throws IOException {
    return JSON.readTree(response.body());
  }

  static String errorCode(HttpResponse<String> response) throws IOException {
    return json(response).path("errors").path(0).path("code").asText();
  }

  static List<String> texts(JsonNode array) {
    List<String> result = new java.util.ArrayList<>();
    array.forEach(node -> result.add(node.asText()));
    return result;
  }

  @Override
  public void close() throws IOException {
    client.close();
    server.close();
  }
}
