package io.slipway.registry;

import io.slipway.registry.api.ApiVersionCheck;
import io.slipway.registry.api.BlobDelete;
import io.slipway.registry.api.BlobGet;
import io.slipway.registry.api.BlobUploadCancel;
import io.slipway.registry.api.BlobUploadPatch;
import io.slipway.registry.api.BlobUploadPut;
import io.slipway.registry.api.BlobUploadStart;
import io.slipway.registry.api.BlobUploadStatus;
import io.slipway.registry.api.CatalogList;
import io.slipway.registry.api.HealthCheck;
import io.slipway.registry.api.ManifestDelete;
import io.slipway.registry.api.ManifestGet;
import io.slipway.registry.api.ManifestPut;
import io.slipway.registry.api.ReferrersList;
import io.slipway.registry.api.TagHistoryGet;
import io.slipway.registry.api.TagsList;
import io.slipway.registry.auth.AccessRequest;
import io.slipway.registry.auth.AuthDecision;
import io.slipway.registry.auth.Authorizer;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps each request to its {@link WireCall} by path and method, validates the repository name, and
 * turns {@link RegistryException}s into the spec's JSON errors. Blocking by design: Jetty runs it
 * on a virtual thread per request. Safe for concurrent use (immutable routing table).
 */
public final class Router extends Handler.Abstract {
  private static final Logger LOG = LoggerFactory.getLogger(Router.class);
  private static final String API_VERSION_HEADER = "Docker-Distribution-API-Version";
  /** Bodies up to this size are read before a 401, as manifests are; see drainSmallBody. */
  private static final long REFUSED_BODY_DRAIN_LIMIT = 4L * 1024 * 1024;

  /** What a route touches, for the authorizer. */
  private enum Guard {
    /** Health: open to everyone, as load balancers probe it without credentials. */
    NONE,
    /** {@code /v2/}: any valid credentials. */
    BASE,
    /** {@code /v2/_catalog}: the catalog scope; the list is filtered per caller. */
    CATALOG,
    /** {@code /v2/<name>/…}: the repository scope with the method's actions. */
    REPOSITORY
  }

  /** A path pattern and the call for each method. Group 1 is the name, group 2 the reference. */
  private record Route(Pattern path, boolean named, Guard guard, Map<String, WireCall> calls) {
    Route(Pattern path, boolean named, Map<String, WireCall> calls) {
      this(path, named, named ? Guard.REPOSITORY : Guard.BASE, calls);
    }
  }

  private final List<Route> routes;
  private final Authorizer authorizer;

  public Router(Registry registry) {
    this.authorizer = registry.authorizer();
    // The name group is greedy, so a repository called "a/blobs" still routes to its own blobs;
    // the more specific upload routes come before the plain blob route.
    BlobGet blobGet = new BlobGet(registry);
    ManifestGet manifestGet = new ManifestGet(registry);
    this.routes =
        List.of(
            new Route(Pattern.compile("/v2/?"), false,
                Map.of("GET", new ApiVersionCheck(), "HEAD", new ApiVersionCheck())),
            new Route(Pattern.compile("/v2/_catalog"), false, Guard.CATALOG,
                Map.of("GET", new CatalogList(registry))),
            new Route(Pattern.compile("/(?:healthz|health)"), false, Guard.NONE,
                Map.of("GET", new HealthCheck(registry), "HEAD", new HealthCheck(registry))),
            new Route(Pattern.compile("/v2/(.+)/blobs/uploads/?"), true,
                Map.of("POST", new BlobUploadStart(registry))),
            new Route(Pattern.compile("/v2/(.+)/blobs/uploads/([^/]+)"), true,
                methods(
                    "GET", new BlobUploadStatus(registry),
                    "PATCH", new BlobUploadPatch(registry),
                    "PUT", new BlobUploadPut(registry),
                    "DELETE", new BlobUploadCancel(registry))),
            new Route(Pattern.compile("/v2/(.+)/blobs/([^/]+)"), true,
                Map.of("GET", blobGet, "HEAD", blobGet, "DELETE", new BlobDelete(registry))),
            new Route(Pattern.compile("/v2/(.+)/manifests/([^/]+)"), true,
                Map.of("GET", manifestGet, "HEAD", manifestGet,
                    "PUT", new ManifestPut(registry), "DELETE", new ManifestDelete(registry))),
            new Route(Pattern.compile("/v2/(.+)/tags/list"), true,
                Map.of("GET", new TagsList(registry))),
            new Route(Pattern.compile("/v2/(.+)/referrers/([^/]+)"), true,
                Map.of("GET", new ReferrersList(registry))),
            // Vendor extension: "_slipway" cannot be a repository path component, so it cannot
            // shadow a repository.
            new Route(Pattern.compile("/v2/(.+)/_slipway/history/([^/]+)"), true,
                Map.of("GET", new TagHistoryGet(registry))));
  }

  private static Map<String, WireCall> methods(Object... pairs) {
    Map<String, WireCall> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put((String) pairs[i], (WireCall) pairs[i + 1]);
    }
    return Map.copyOf(map);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    response.getHeaders().put(API_VERSION_HEADER, "registry/2.0");
    Exchange exchange = null;
    try {
      String path = request.getHttpURI().getPath();
      for (Route route : routes) {
        Matcher matcher = route.path().matcher(path == null ? "" : path);
        if (!matcher.matches()) {
          continue;
        }
        String name = route.named() ? RepositoryNames.check(matcher.group(1)) : null;
        String reference =
            route.named() && matcher.groupCount() >= 2 ? matcher.group(2) : null;
        exchange = new Exchange(request, response, name, reference);
        WireCall call = route.calls().get(request.getMethod());
        if (call == null) {
          throw RegistryException.of(
              ErrorCode.UNSUPPORTED,
              request.getMethod() + " is not supported on " + path + "; use "
                  + String.join(", ", route.calls().keySet()));
        }
        authorize(route, exchange);
        call.serve(exchange);
        callback.succeeded();
        return true;
      }
      throw RegistryException.of(ErrorCode.UNSUPPORTED, "no such endpoint: " + path)
          .withStatus(404);
    } catch (RegistryException e) {
      sendError(exchange, request, response, callback, e);
    } catch (Exception e) {
      if (e instanceof IOException) {
        // A client that goes away mid-request (truncated body, closed socket) is not a server
        // fault: one line, no stack trace.
        LOG.info("{} {} aborted: {}", request.getMethod(), request.getHttpURI(), e.toString());
      } else {
        LOG.error("{} {} failed", request.getMethod(), request.getHttpURI(), e);
      }
      sendError(exchange, request, response, callback,
          RegistryException.of(ErrorCode.INTERNAL, "internal error: " + e.getMessage()));
    }
    return true;
  }

  /** Asks the authorizer; a refusal becomes the error answer with its challenge headers. */
  private void authorize(Route route, Exchange exchange) {
    AccessRequest access =
        switch (route.guard()) {
          case NONE -> null;
          case BASE -> AccessRequest.base(exchange.authorization(), exchange.origin());
          case CATALOG -> AccessRequest.catalog(exchange.authorization(), exchange.origin());
          case REPOSITORY ->
              AccessRequest.repository(
                  exchange.authorization(), exchange.origin(), exchange.name(),
                  AccessRequest.actionsFor(exchange.method()));
        };
    if (access == null) {
      return;
    }
    switch (authorizer.authorize(access)) {
      case AuthDecision.Allowed allowed -> exchange.setCaller(allowed.caller());
      case AuthDecision.Refused refused -> {
        RegistryException error =
            RegistryException.of(ErrorCode.valueOf(refused.code()), refused.message())
                .withStatus(refused.status());
        for (Map.Entry<String, String> header : refused.headers().entrySet()) {
          error = error.withHeader(header.getKey(), header.getValue());
        }
        throw error;
      }
    }
  }

  /**
   * Reads and discards a refused or failed request's body when it is small (a manifest, a chunk
   * of one), so the client, still sending, reads the error instead of a reset connection, and a
   * 401 is retried with a token on the same connection. Larger bodies are not read: the answer
   * goes out and the connection closes.
   */
  private static void drainSmallBody(Exchange exchange) {
    long length = exchange.contentLength();
    if (length <= 0 || length > REFUSED_BODY_DRAIN_LIMIT) {
      return;
    }
    try {
      exchange.drainBody();
    } catch (IOException e) {
      // The client went away; the refusal below fails to send as well, which is fine.
      LOG.debug("refused request's body was cut: {}", e.toString());
    }
  }

  private static void sendError(
      Exchange exchange, Request request, Response response, Callback callback,
      RegistryException error) {
    if (response.isCommitted()) {
      callback.failed(error);
      return;
    }
    try {
      Exchange target = exchange != null ? exchange : new Exchange(request, response, null, null);
      // An error answered before the body was read (413 on a declared length, 400 on a bad
      // name): with unread bytes left, closing the connection can reset it before the client
      // reads the answer. Small bodies are read to the end first.
      drainSmallBody(target);
      response.reset();
      response.getHeaders().put(API_VERSION_HEADER, "registry/2.0");
      error.headers().forEach((header, value) -> response.getHeaders().put(header, value));
      target.sendJson(error.status(), ErrorBody.of(error));
      callback.succeeded();
    } catch (Exception e) {
      callback.failed(e);
    }
  }
}
