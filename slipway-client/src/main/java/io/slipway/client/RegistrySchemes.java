package io.slipway.client;

import io.slipway.client.auth.RegistryHosts;
import io.slipway.client.concurrent.SingleFlight;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Decides per registry whether to speak HTTPS or plain HTTP, as docker does: HTTPS always, except
 * for a registry allowed plain HTTP (marked insecure, or localhost), which gets plain HTTP only
 * when it speaks it. Certificates are always verified: a loopback registry serving TLS gets HTTPS,
 * and a certificate problem is reported, not worked around.
 *
 * <p>Thread-safe. A decision is kept for the life of the client; first requests at once share one
 * question (single-flight per registry), and no lock is held while asking.
 */
final class RegistrySchemes {
  private static final String UNDECIDED = "";

  private final HttpClient http;
  private final ClientSettings settings;
  private final Map<String, String> decided = new ConcurrentHashMap<>();
  private final SingleFlight<String, String> asking = new SingleFlight<>();

  RegistrySchemes(HttpClient http, ClientSettings settings) {
    this.http = http;
    this.settings = settings;
  }

  /** {@code https} or {@code http} for {@code registry}. */
  String scheme(String registry) throws InterruptedException {
    if (!settings.allowsPlainHttp(registry)) {
      return "https";
    }
    String key = registry.toLowerCase(Locale.ROOT);
    String known = decided.get(key);
    if (known != null) {
      return known;
    }
    String found;
    try {
      found = asking.await(key, () -> ask(registry),
          settings.connectTimeout().plus(settings.requestTimeout()));
    } catch (TimeoutException | ExecutionException e) {
      found = UNDECIDED;
    }
    if (found.equals(UNDECIDED)) {
      // Not reachable yet: plain HTTP, as before there was a choice, and ask again next time.
      return "http";
    }
    String previous = decided.putIfAbsent(key, found);
    return previous == null ? found : previous;
  }

  /** The scheme the registry speaks, or {@link #UNDECIDED} when it cannot tell now. */
  private String ask(String registry) throws InterruptedException {
    // GET /v2/ in plain HTTP rather than a TLS hello: a plain registry answers it at once, and a TLS
    // server refuses plain bytes at once (Go answers 400, Java closes the connection), while some
    // plain servers sit on a TLS hello until the request times out, waiting for a line end.
    try {
      HttpResponse<Void> answer = http.send(
          HttpRequest.newBuilder(URI.create("http://" + RegistryHosts.apiHost(registry) + "/v2/"))
              .timeout(settings.requestTimeout()).GET().build(),
          HttpResponse.BodyHandlers.discarding());
      // A registry's /v2/ is 200 or 401, never 400; Go's TLS servers say 400 to plain HTTP.
      return answer.statusCode() == 400 ? "https" : "http";
    } catch (ConnectException | HttpTimeoutException e) {
      return UNDECIDED;
    } catch (IOException e) {
      // Connected, then dropped without an answer in HTTP: a TLS server.
      return "https";
    }
  }
}
