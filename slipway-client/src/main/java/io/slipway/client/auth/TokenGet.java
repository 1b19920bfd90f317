package io.slipway.client.auth;

import io.slipway.oci.auth.Scope;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The docker token protocol's fetch: {@code GET <realm>?service=<service>&scope=<scope>...}, with
 * Basic credentials or anonymously. Stateless and thread-safe.
 */
final class TokenGet {
  private TokenGet() {}

  // GET <realm>?service=...&scope=...&client_id=...[&offline_token=true]
  static HttpResponse<byte[]> send(
      HttpClient http, URI realm, String service, ScopeSet scopes, Credential credential,
      String clientId, Duration timeout) throws IOException, InterruptedException {
    List<String> query = new ArrayList<>();
    if (service != null) {
      query.add("service=" + encode(service));
    }
    for (Scope scope : scopes.scopes()) {
      query.add("scope=" + encode(scope.toString()));
    }
    query.add("client_id=" + encode(clientId));
    if (credential instanceof Credential.UsernamePassword) {
      // Ask for a refresh token too, so later fetches need not send the password again.
      query.add("offline_token=true");
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(withQuery(realm, String.join("&", query)))
        .timeout(timeout)
        .header("Accept", "application/json")
        .GET();
    if (credential instanceof Credential.UsernamePassword basic) {
      request.header("Authorization", basic.basicHeader());
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  static Token read(URI realm, HttpResponse<byte[]> response, Clock clock) throws TokenFetchException {
    return TokenResponse.read(realm, response.body(), clock);
  }

  static URI withQuery(URI realm, String query) {
    String base = realm.toString();
    return URI.create(base + (realm.getRawQuery() == null ? "?" : "&") + query);
  }

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
