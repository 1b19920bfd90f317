package io.slipway.client.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A docker-token-protocol endpoint for tests, on a free loopback port: GET with Basic or
 * anonymous, OAuth2 POST with password and refresh_token grants, either of which can be switched
 * off, configurable {@code expires_in}, and a hang switch for requests whose scope matches a
 * predicate (the hang ends when {@link #release()} is called or the server stops). Safe for
 * concurrent use.
 */
public final class FakeTokenServer implements AutoCloseable {
  /** Which requests the endpoint serves. */
  public enum Mode { GET_AND_POST, GET_ONLY, POST_ONLY }

  /** One request the server saw. */
  public record Seen(String method, Map<String, String> fields, String authorization) {}

  private final HttpServer server;
  private final Map<String, String> users = new ConcurrentHashMap<>();
  private final Map<String, String> refreshTokens = new ConcurrentHashMap<>();
  private final Map<String, String> issued = new ConcurrentHashMap<>();
  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private final AtomicInteger hanging = new AtomicInteger();
  private volatile CountDownLatch release = new CountDownLatch(1);
  private volatile Mode mode = Mode.GET_AND_POST;
  private volatile int expiresIn = 300;
  private volatile boolean allowAnonymous = true;
  private volatile Predicate<String> hangWhenScope = scope -> false;
  private volatile String rawAnswer;

  public FakeTokenServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/token", this::handle);
    server.start();
  }

  public URI realm() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/token");
  }

  public FakeTokenServer user(String name, String password) {
    users.put(name, password);
    return this;
  }

  public FakeTokenServer mode(Mode newMode) {
    mode = newMode;
    return this;
  }

  public FakeTokenServer expiresIn(int seconds) {
    expiresIn = seconds;
    return this;
  }

  public FakeTokenServer anonymous(boolean allowed) {
    allowAnonymous = allowed;
    return this;
  }

  /** Answers every request with exactly {@code body} and status 200. */
  public FakeTokenServer rawAnswer(String body) {
    rawAnswer = body;
    return this;
  }

  /** Requests whose scope field matches never get an answer until {@link #release()}. */
  public FakeTokenServer hangWhen(Predicate<String> scope) {
    release = new CountDownLatch(1);
    hangWhenScope = scope;
    return this;
  }

  /** Ends every hang and stops hanging. */
  public void release() {
    hangWhenScope = scope -> false;
    release.countDown();
  }

  /** A refresh token for {@code user}, as a login would have stored as identity token. */
  public String issueRefreshToken(String user) {
    String refresh = "ref-" + UUID.randomUUID();
    refreshTokens.put(refresh, user);
    return refresh;
  }

  /** Requests currently held by a hang. */
  public int hanging() {
    return hanging.get();
  }

  public List<Seen> seen() {
    return List.copyOf(seen);
  }

  /** True when {@code token} was issued by this server and not yet expired by lifetime. */
  public boolean isValid(String token, String scope) {
    String granted = issued.get(token);
    return granted != null && (scope == null || granted.contains(scope));
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      Map<String, String> fields = new ConcurrentHashMap<>();
      List<String> scopes = new ArrayList<>();
      String query = method.equals("GET")
          ? exchange.getRequestURI().getRawQuery()
          : new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      if (query != null) {
        for (String pair : query.split("&")) {
          int eq = pair.indexOf('=');
          if (eq > 0) {
            String key = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (key.equals("scope")) {
              scopes.add(value);
            }
            fields.put(key, value);
          }
        }
      }
      String scope = String.join(" ", scopes);
      fields.put("scope", scope);
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      seen.add(new Seen(method, Map.copyOf(fields), authorization));
      if (hangWhenScope.test(scope)) {
        hanging.incrementAndGet();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        } finally {
          hanging.decrementAndGet();
        }
      }
      if (rawAnswer != null) {
        send(exchange, 200, rawAnswer);
        return;
      }
      if ((method.equals("GET") && mode == Mode.POST_ONLY)
          || (method.equals("POST") && mode == Mode.GET_ONLY)) {
        send(exchange, 405, "{\"error\":\"method not allowed\"}");
        return;
      }
      String user;
      boolean offline;
      if (method.equals("GET")) {
        user = basicUser(authorization);
        if (user == null && authorization != null) {
          send(exchange, 401, "{\"details\":\"bad credentials\"}");
          return;
        }
        offline = "true".equals(fields.get("offline_token"));
      } else {
        switch (fields.getOrDefault("grant_type", "")) {
          case "password" -> {
            String name = fields.get("username");
            user = name != null && fields.getOrDefault("password", "").equals(users.get(name))
                ? name : null;
          }
          case "refresh_token" -> user = refreshTokens.get(fields.getOrDefault("refresh_token", ""));
          default -> user = null;
        }
        if (user == null) {
          send(exchange, 401, "{\"error\":\"invalid_grant\"}");
          return;
        }
        offline = true;
      }
      if (user == null && !allowAnonymous) {
        send(exchange, 401, "{\"details\":\"authentication required\"}");
        return;
      }
      String token = "tok-" + UUID.randomUUID();
      issued.put(token, scope);
      StringBuilder body = new StringBuilder("{\"")
          .append(method.equals("GET") ? "token" : "access_token").append("\":\"").append(token)
          .append("\",\"expires_in\":").append(expiresIn);
      if (offline && user != null) {
        String refresh = "ref-" + UUID.randomUUID();
        refreshTokens.put(refresh, user);
        body.append(",\"refresh_token\":\"").append(refresh).append('"');
      }
      send(exchange, 200, body.append('}').toString());
    }
  }

  private String basicUser(String authorization) {
    if (authorization == null || !authorization.startsWith("Basic ")) {
      return null;
    }
    String decoded = new String(Base64.getDecoder().decode(authorization.substring(6)),
        StandardCharsets.UTF_8);
    int colon = decoded.indexOf(':');
    String name = decoded.substring(0, colon);
    return decoded.substring(colon + 1).equals(users.get(name)) ? name : null;
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    release.countDown();
    server.stop(0);
  }
}
