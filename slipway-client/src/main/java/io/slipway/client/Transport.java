package io.slipway.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.slipway.client.auth.AuthException;
import io.slipway.client.auth.RegistryAuth;
import io.slipway.client.auth.RegistryHosts;
import io.slipway.client.auth.ScopeSet;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Sends one registry request with authentication and retries; the wire-call classes build on it.
 *
 * <p>A {@code 401} is answered once through {@link RegistryAuth} and the request repeated.
 * Connection errors, timeouts, 5xx, 429 (after its {@code Retry-After}) and, for content just
 * pushed, 404 are retried with exponential backoff and jitter within the {@link RetryPolicy}'s
 * budget; every other status outside {@code ok} fails at once with a {@link RegistryException}.
 * Each failed attempt is logged at debug; the final error lists them all. Thread-safe.
 */
final class Transport {
  private static final System.Logger LOG = System.getLogger(Transport.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int ERROR_BODY_LIMIT = 64 * 1024;
  /** The upload rate, bytes per second, below which a request body counts as hung. */
  private static final long SLOWEST_UPLOAD = 1L << 20;

  /** A request, rebuilt for every attempt (bodies are single-use). */
  record Call(
      String registry, ScopeSet scopes, String method, URI uri, List<String> headers,
      Supplier<HttpRequest.BodyPublisher> body, Set<Integer> ok, boolean notFoundTransient) {

    Call {
      Objects.requireNonNull(registry);
      Objects.requireNonNull(scopes);
      headers = List.copyOf(headers);
      ok = Set.copyOf(ok);
    }

    static Call of(Repository repository, ScopeSet scopes, String method, URI uri, Set<Integer> ok) {
      return new Call(repository.registry(), scopes, method, uri, List.of(),
          HttpRequest.BodyPublishers::noBody, ok, false);
    }

    Call header(String name, String value) {
      List<String> more = new ArrayList<>(headers);
      more.add(name);
      more.add(value);
      return new Call(registry, scopes, method, uri, more, body, ok, notFoundTransient);
    }

    Call body(Supplier<HttpRequest.BodyPublisher> publisher) {
      return new Call(registry, scopes, method, uri, headers, publisher, ok, notFoundTransient);
    }

    Call retryNotFound() {
      return new Call(registry, scopes, method, uri, headers, body, ok, true);
    }

    String describe() {
      String query = uri.getRawQuery();
      return method + " " + uri.getScheme() + "://" + uri.getRawAuthority() + uri.getRawPath()
          + (query == null ? "" : "?" + query);
    }
  }

  private final HttpClient http;
  private final RegistryAuth auth;
  private final ClientSettings settings;
  private final RegistrySchemes schemes;

  Transport(HttpClient http, RegistryAuth auth, ClientSettings settings) {
    this.http = http;
    this.auth = auth;
    this.settings = settings;
    this.schemes = new RegistrySchemes(http, settings);
  }

  ClientSettings settings() {
    return settings;
  }

  /** {@code http(s)://host/v2/} for the registry; the first call may ask the registry which. */
  URI base(String registry) throws InterruptedException {
    return URI.create(schemes.scheme(registry) + "://"
        + RegistryHosts.apiHost(registry) + "/v2/");
  }

  /** The URL of {@code /v2/<name>/<rest>}. */
  URI uri(Repository repository, String rest) throws InterruptedException {
    return base(repository.registry()).resolve(repository.name() + "/" + rest);
  }

  /**
   * Sends the call until it succeeds or fails for good. The caller closes the response body.
   */
  HttpResponse<InputStream> send(Call call) throws IOException, InterruptedException {
    RetryPolicy policy = settings.retry();
    long start = System.nanoTime();
    List<RetriesExhaustedException.Attempt> attempts = new ArrayList<>();
    Exception last = null;
    for (int attempt = 1; ; attempt++) {
      Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
      Duration wait;
      String cause;
      try {
        HttpResponse<InputStream> response = sendAuthenticated(call);
        int status = response.statusCode();
        if (call.ok().contains(status)) {
          return response;
        }
        String body = readErrorBody(response);
        boolean transientNotFound = status == 404 && call.notFoundTransient()
            && elapsed.compareTo(policy.notFoundWindow()) < 0;
        if (status != 429 && status < 500 && !transientNotFound) {
          throw error(call, status, body);
        }
        cause = "HTTP " + status + errorCode(body).map(c -> " " + c).orElse("");
        wait = status == 429 ? retryAfter(response.headers()).orElse(jitter(policy, attempt + 1))
            : jitter(policy, attempt + 1);
        last = error(call, status, body);
      } catch (ClientException | AuthException e) {
        throw e;
      } catch (IOException e) {
        cause = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        wait = jitter(policy, attempt + 1);
        last = e;
      }
      attempts.add(new RetriesExhaustedException.Attempt(attempt, elapsed, cause));
      Duration spent = Duration.ofNanos(System.nanoTime() - start);
      if (attempt >= policy.maxAttempts() || spent.plus(wait).compareTo(policy.budget()) > 0) {
        throw new RetriesExhaustedException(call.describe(), attempts, last);
      }
      Duration delay = wait;
      LOG.log(System.Logger.Level.DEBUG, () -> call.describe() + ": attempt " + attempts.size()
          + " failed (" + attempts.getLast().cause() + "), retrying in " + delay.toMillis() + " ms");
      Thread.sleep(delay);
    }
  }

  private HttpResponse<InputStream> sendAuthenticated(Call call)
      throws IOException, InterruptedException {
    Optional<String> authorization = auth.authorization(call.registry(), call.scopes());
    HttpResponse<InputStream> response = sendRaw(call, authorization.orElse(null));
    if (response.statusCode() != 401) {
      return response;
    }
    List<String> challenges = response.headers().allValues("WWW-Authenticate");
    readErrorBody(response);
    if (challenges.isEmpty()) {
      throw new RegistryException(call.describe(), 401, "UNAUTHORIZED",
          "the registry sent no WWW-Authenticate challenge");
    }
    Optional<String> answer =
        auth.challenged(call.registry(), call.scopes(), challenges, authorization.orElse(null));
    if (answer.isEmpty()) {
      throw new RegistryException(call.describe(), 401, "UNAUTHORIZED",
          "no credentials for " + call.registry() + " answer its challenge " + challenges);
    }
    HttpResponse<InputStream> retried = sendRaw(call, answer.get());
    if (retried.statusCode() == 401) {
      String body = readErrorBody(retried);
      throw error(call, 401, body);
    }
    return retried;
  }

  /**
   * Sends the call once, authenticated, without retrying: for requests whose repetition the
   * caller manages itself (chunk uploads). A status outside {@code ok} fails with a
   * {@link RegistryException}.
   */
  HttpResponse<InputStream> sendOnce(Call call) throws IOException, InterruptedException {
    HttpResponse<InputStream> response = sendAuthenticated(call);
    if (!call.ok().contains(response.statusCode())) {
      throw error(call, response.statusCode(), readErrorBody(response));
    }
    return response;
  }

  private HttpResponse<InputStream> sendRaw(Call call, String authorization)
      throws IOException, InterruptedException {
    HttpRequest.BodyPublisher body = call.body().get();
    HttpRequest.Builder request = HttpRequest.newBuilder(call.uri())
        .timeout(deadline(body.contentLength()))
        .method(call.method(), body);
    if ("http".equalsIgnoreCase(call.uri().getScheme())) {
      // Over plain HTTP the JDK client would offer an h2c upgrade on every request, which no
      // registry accepts; the offer costs headers and keeps connections from being reused.
      // HTTPS still negotiates HTTP/2 by ALPN.
      request.version(HttpClient.Version.HTTP_1_1);
    }
    for (int i = 0; i + 1 < call.headers().size(); i += 2) {
      request.header(call.headers().get(i), call.headers().get(i + 1));
    }
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      // A refused certificate or a plain-HTTP answer fails the same way on every retry.
      throw switch (TlsFailure.of(e)) {
        case UNTRUSTED_CERTIFICATE -> TlsException.untrusted(call.registry(), e);
        case PLAIN_HTTP_PEER -> TlsException.plainHttp(call.registry(), e);
        case OTHER -> e;
      };
    }
  }

  /**
   * Ends a response whose body does not matter so that its connection goes back to the pool:
   * the JDK client closes the connection of a body closed before it was read to the end, and a
   * body closed before it was even subscribed (an empty one, closed right after the headers) is
   * such a case. Reads at most {@link #ERROR_BODY_LIMIT} bytes; a longer body costs its connection.
   */
  static void discard(HttpResponse<InputStream> response) {
    readErrorBody(response);
  }

  /**
   * How long a request may take until its answer's headers arrive. The JDK client counts the
   * time spent sending the body too, so a request with a large body (a streamed 1 GiB blob) gets
   * the request timeout plus time to send it at {@link #SLOWEST_UPLOAD} bytes per second; without
   * that a slow link or a loaded machine would fail every large upload at the request timeout.
   */
  Duration deadline(long bodyLength) {
    Duration base = settings.requestTimeout();
    return bodyLength <= 0 ? base : base.plusSeconds(bodyLength / SLOWEST_UPLOAD);
  }

  static String readErrorBody(HttpResponse<InputStream> response) {
    try (InputStream in = response.body()) {
      return new String(in.readNBytes(ERROR_BODY_LIMIT), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  static RegistryException error(Call call, int status, String body) {
    String code = errorCode(body).orElse("");
    String message = "";
    try {
      JsonNode errors = JSON.readTree(body).path("errors");
      if (errors.isArray() && !errors.isEmpty()) {
        message = errors.get(0).path("message").asText("");
      }
    } catch (IOException | RuntimeException e) {
      message = body.length() > 200 ? body.substring(0, 200) : body.strip();
    }
    return new RegistryException(call.describe(), status, code, message);
  }

  private static Optional<String> errorCode(String body) {
    try {
      JsonNode errors = JSON.readTree(body).path("errors");
      if (errors.isArray() && !errors.isEmpty() && errors.get(0).path("code").isTextual()) {
        return Optional.of(errors.get(0).path("code").asText());
      }
    } catch (IOException | RuntimeException e) {
      // Not JSON: no code.
    }
    return Optional.empty();
  }

  private static Duration jitter(RetryPolicy policy, int next) {
    long backoff = policy.backoff(next).toMillis();
    // "Equal jitter": half fixed, half random, so retries spread out but never fire at once.
    return Duration.ofMillis(backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1));
  }

  /** {@code Retry-After} as delta seconds or an HTTP date. */
  static Optional<Duration> retryAfter(HttpHeaders headers) {
    Optional<String> value = headers.firstValue("Retry-After").map(String::trim);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value.get()))));
    } catch (NumberFormatException e) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(value.get(), DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration delay = Duration.between(ZonedDateTime.now(at.getZone()), at);
        return Optional.of(delay.isNegative() ? Duration.ZERO : delay);
      } catch (DateTimeParseException ignored) {
        return Optional.empty();
      }
    }
  }
}
