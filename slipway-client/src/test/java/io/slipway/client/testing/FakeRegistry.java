package io.slipway.client.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.slipway.oci.Digest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * An in-memory OCI distribution registry for tests, on a free loopback port, with hooks that
 * inject faults (statuses, cut connections, lagging reads) and optional Bearer auth against a
 * {@link FakeTokenServer}. Implements what the client uses: manifests by tag and digest, blobs
 * with Range, monolithic and chunked uploads with status, cross-repository mount, tag lists.
 * The client's one-time scheme check (an unauthenticated {@code GET /v2/}) is answered here, before
 * hooks and outside {@link #requests()}, so tests see only the calls they are about; {@link
 * #schemeChecks()} counts it. Safe for concurrent use.
 */
public final class FakeRegistry implements AutoCloseable {

  /** Sees each request first; returns true when it answered (or cut) the request itself. */
  @FunctionalInterface
  public interface Hook {
    boolean intercept(HttpExchange exchange, String method, String path) throws IOException;
  }

  /** One request: method and path with query. */
  public record Request(String method, String path) {}

  private record Manifest(String mediaType, byte[] bytes) {}

  private final HttpServer server;
  private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
  private final Map<String, Manifest> manifests = new ConcurrentHashMap<>();
  private final Map<String, ByteArrayOutputStream> uploads = new ConcurrentHashMap<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final List<Hook> hooks = new CopyOnWriteArrayList<>();
  private final java.util.concurrent.atomic.AtomicInteger schemeChecks =
      new java.util.concurrent.atomic.AtomicInteger();
  private volatile FakeTokenServer tokens;

  public FakeRegistry() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/v2/", this::handle);
    server.start();
  }

  /** {@code 127.0.0.1:port}, usable as registry name. */
  public String host() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  public FakeRegistry hook(Hook hook) {
    hooks.add(hook);
    return this;
  }

  /** Require Bearer tokens from {@code server}. */
  public FakeRegistry requireTokens(FakeTokenServer server) {
    tokens = server;
    return this;
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  /** How many unauthenticated {@code GET /v2/} the registry answered. */
  public int schemeChecks() {
    return schemeChecks.get();
  }

  public void putBlob(String repository, byte[] content) {
    blobs.put(repository + "@" + Digest.sha256(content), content);
  }

  public boolean hasBlob(String repository, Digest digest) {
    return blobs.containsKey(repository + "@" + digest);
  }

  public void putManifest(String repository, String reference, String mediaType, byte[] bytes) {
    Manifest manifest = new Manifest(mediaType, bytes);
    manifests.put(repository + "@" + Digest.sha256(bytes), manifest);
    manifests.put(repository + ":" + reference, manifest);
  }

  public boolean hasManifest(String repository, String reference) {
    return manifests.containsKey(repository + (reference.contains(":") ? "@" : ":") + reference);
  }

  /** Bytes stored for a manifest reference, or null. */
  public byte[] manifest(String repository, String reference) {
    Manifest m = manifests.get(repository + (reference.contains(":") ? "@" : ":") + reference);
    return m == null ? null : m.bytes();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      URI uri = exchange.getRequestURI();
      String path = uri.getRawPath().substring("/v2/".length());
      if (method.equals("GET") && path.isEmpty()
          && !exchange.getRequestHeaders().containsKey("Authorization")) {
        schemeChecks.incrementAndGet();
        exchange.getResponseHeaders().add("Docker-Distribution-API-Version", "registry/2.0");
        exchange.sendResponseHeaders(200, -1);
        return;
      }
      requests.add(new Request(method, uri.toString()));
      for (Hook hook : hooks) {
        if (hook.intercept(exchange, method, uri.toString())) {
          return;
        }
      }
      if (path.isEmpty()) {
        send(exchange, 200, "{}", "application/json");
        return;
      }
      String name = repositoryOf(path);
      if (name == null) {
        error(exchange, 404, "NAME_UNKNOWN", "no route");
        return;
      }
      if (!authorized(exchange, name, method)) {
        return;
      }
      String rest = path.substring(name.length() + 1);
      Map<String, String> query = query(uri.getRawQuery());
      if (rest.startsWith("manifests/")) {
        manifest(exchange, method, name, rest.substring("manifests/".length()));
      } else if (rest.equals("blobs/uploads/") || rest.equals("blobs/uploads")) {
        startUpload(exchange, name, query);
      } else if (rest.startsWith("blobs/uploads/")) {
        upload(exchange, method, name, rest.substring("blobs/uploads/".length()), query);
      } else if (rest.startsWith("blobs/")) {
        blob(exchange, method, name, rest.substring("blobs/".length()));
      } else if (rest.equals("tags/list")) {
        List<String> tags = new ArrayList<>();
        manifests.keySet().stream().filter(k -> k.startsWith(name + ":"))
            .map(k -> k.substring(name.length() + 1)).sorted().forEach(tags::add);
        StringBuilder body = new StringBuilder("{\"name\":\"" + name + "\",\"tags\":[");
        for (int i = 0; i < tags.size(); i++) {
          body.append(i == 0 ? "" : ",").append('"').append(tags.get(i)).append('"');
        }
        send(exchange, 200, body.append("]}").toString(), "application/json");
      } else {
        error(exchange, 404, "NAME_UNKNOWN", "no route");
      }
    }
  }

  private static String repositoryOf(String path) {
    for (String marker : List.of("/manifests/", "/blobs/", "/tags/list")) {
      int at = path.indexOf(marker);
      if (at > 0) {
        return path.substring(0, at);
      }
    }
    return null;
  }

  private boolean authorized(HttpExchange exchange, String name, String method) throws IOException {
    FakeTokenServer server = tokens;
    if (server == null) {
      return true;
    }
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    String scope = "repository:" + name + ":"
        + (method.equals("GET") || method.equals("HEAD") ? "pull" : "pull,push");
    if (header != null && header.startsWith("Bearer ")
        && server.isValid(header.substring(7), "repository:" + name + ":")) {
      return true;
    }
    exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"" + server.realm()
        + "\",service=\"fake-registry\",scope=\"" + scope + "\"");
    error(exchange, 401, "UNAUTHORIZED", "authentication required");
    return false;
  }

  private void manifest(HttpExchange exchange, String method, String name, String reference)
      throws IOException {
    String key = name + (Digest.isValid(reference) ? "@" : ":") + reference;
    if (method.equals("PUT")) {
      byte[] bytes = exchange.getRequestBody().readAllBytes();
      String type = exchange.getRequestHeaders().getFirst("Content-Type");
      Digest digest = Digest.sha256(bytes);
      if (Digest.isValid(reference) && !digest.toString().equals(reference)) {
        error(exchange, 400, "DIGEST_INVALID", "manifest digest mismatch");
        return;
      }
      Manifest manifest = new Manifest(type, bytes);
      manifests.put(key, manifest);
      manifests.put(name + "@" + digest, manifest);
      exchange.getResponseHeaders().add("Docker-Content-Digest", digest.toString());
      exchange.getResponseHeaders().add("Location", "/v2/" + name + "/manifests/" + digest);
      exchange.sendResponseHeaders(201, -1);
      return;
    }
    Manifest manifest = manifests.get(key);
    if (manifest == null) {
      error(exchange, 404, "MANIFEST_UNKNOWN", "manifest unknown");
      return;
    }
    exchange.getResponseHeaders().add("Content-Type", manifest.mediaType());
    exchange.getResponseHeaders().add("Docker-Content-Digest",
        Digest.sha256(manifest.bytes()).toString());
    if (method.equals("HEAD")) {
      exchange.getResponseHeaders().add("Content-Length", String.valueOf(manifest.bytes().length));
      exchange.sendResponseHeaders(200, -1);
      return;
    }
    exchange.sendResponseHeaders(200, manifest.bytes().length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(manifest.bytes());
    }
  }

  private void blob(HttpExchange exchange, String method, String name, String digest)
      throws IOException {
    byte[] content = blobs.get(name + "@" + digest);
    if (content == null) {
      error(exchange, 404, "BLOB_UNKNOWN", "blob unknown");
      return;
    }
    exchange.getResponseHeaders().add("Docker-Content-Digest", digest);
    exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
    if (method.equals("HEAD")) {
      exchange.getResponseHeaders().add("Content-Length", String.valueOf(content.length));
      exchange.sendResponseHeaders(200, -1);
      return;
    }
    String range = exchange.getRequestHeaders().getFirst("Range");
    int from = 0;
    if (range != null && range.startsWith("bytes=")) {
      from = Integer.parseInt(range.substring(6, range.indexOf('-')));
      exchange.getResponseHeaders().add("Content-Range",
          "bytes " + from + "-" + (content.length - 1) + "/" + content.length);
      exchange.sendResponseHeaders(206, content.length - from);
    } else {
      exchange.sendResponseHeaders(200, content.length);
    }
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(content, from, content.length - from);
    }
  }

  private void startUpload(HttpExchange exchange, String name, Map<String, String> query)
      throws IOException {
    exchange.getRequestBody().readAllBytes();
    String mount = query.get("mount");
    String from = query.get("from");
    if (mount != null && from != null && blobs.containsKey(from + "@" + mount)) {
      blobs.put(name + "@" + mount, blobs.get(from + "@" + mount));
      exchange.getResponseHeaders().add("Location", "/v2/" + name + "/blobs/" + mount);
      exchange.getResponseHeaders().add("Docker-Content-Digest", mount);
      exchange.sendResponseHeaders(201, -1);
      return;
    }
    String id = UUID.randomUUID().toString();
    uploads.put(id, new ByteArrayOutputStream());
    exchange.getResponseHeaders().add("Location", "/v2/" + name + "/blobs/uploads/" + id);
    exchange.getResponseHeaders().add("Range", "0-0");
    exchange.sendResponseHeaders(202, -1);
  }

  /** Appends to an upload; a test hook may cut the body short, and what arrived is kept. */
  private void upload(HttpExchange exchange, String method, String name, String id,
      Map<String, String> query) throws IOException {
    ByteArrayOutputStream session = uploads.get(id);
    if (session == null) {
      error(exchange, 404, "BLOB_UPLOAD_UNKNOWN", "upload unknown");
      return;
    }
    if (method.equals("GET")) {
      exchange.getResponseHeaders().add("Location", "/v2/" + name + "/blobs/uploads/" + id);
      exchange.getResponseHeaders().add("Range", "0-" + (session.size() - 1));
      exchange.sendResponseHeaders(204, -1);
      return;
    }
    if (method.equals("PATCH") || method.equals("PUT")) {
      String contentRange = exchange.getRequestHeaders().getFirst("Content-Range");
      if (contentRange != null && Long.parseLong(contentRange.split("-")[0]) != session.size()) {
        exchange.getRequestBody().readAllBytes();
        error(exchange, 416, "BLOB_UPLOAD_INVALID", "range does not continue the upload");
        return;
      }
      synchronized (session) {
        exchange.getRequestBody().transferTo(session);
      }
    }
    if (method.equals("PATCH")) {
      exchange.getResponseHeaders().add("Location", "/v2/" + name + "/blobs/uploads/" + id);
      exchange.getResponseHeaders().add("Range", "0-" + (session.size() - 1));
      exchange.sendResponseHeaders(202, -1);
      return;
    }
    if (method.equals("PUT")) {
      byte[] content = session.toByteArray();
      String digest = query.get("digest");
      if (digest == null || !Digest.sha256(content).toString().equals(digest)) {
        error(exchange, 400, "DIGEST_INVALID", "digest does not match content");
        return;
      }
      uploads.remove(id);
      blobs.put(name + "@" + digest, content);
      exchange.getResponseHeaders().add("Location", "/v2/" + name + "/blobs/" + digest);
      exchange.sendResponseHeaders(201, -1);
      return;
    }
    error(exchange, 405, "UNSUPPORTED", method);
  }

  /** Stores up to {@code limit} bytes of the request body into the upload, then cuts. */
  public static void keepPartialBody(HttpExchange exchange, FakeRegistry registry, long limit)
      throws IOException {
    String path = exchange.getRequestURI().getRawPath();
    String id = path.substring(path.lastIndexOf('/') + 1);
    ByteArrayOutputStream session = registry.uploads.get(id);
    InputStream in = exchange.getRequestBody();
    byte[] part = in.readNBytes((int) limit);
    synchronized (session) {
      session.write(part);
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new ConcurrentHashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          out.put(pair.substring(0, eq),
              java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
    }
    return out;
  }

  public static void error(HttpExchange exchange, int status, String code, String message)
      throws IOException {
    send(exchange, status, "{\"errors\":[{\"code\":\"" + code + "\",\"message\":\"" + message
        + "\"}]}", "application/json");
  }

  public static void send(HttpExchange exchange, int status, String body, String type)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    if (exchange.getRequestMethod().equals("HEAD")) {
      // A HEAD answer has no body.
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
