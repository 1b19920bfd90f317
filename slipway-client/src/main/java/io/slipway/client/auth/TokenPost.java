package io.slipway.client.auth;

import io.slipway.oci.auth.Scope;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The OAuth2 form of the token fetch: {@code POST <realm>} with {@code grant_type=password} (user
 * name and password) or {@code grant_type=refresh_token}. Stateless and thread-safe.
 */
final class TokenPost {
  private TokenPost() {}

  // POST <realm>  grant_type=password&username=..&password=..  |  grant_type=refresh_token&refresh_token=..
  static HttpResponse<byte[]> send(
      HttpClient http, URI realm, String service, ScopeSet scopes, String grant,
      List<String> grantFields, String clientId, Duration timeout)
      throws IOException, InterruptedException {
    List<String> form = new ArrayList<>();
    form.add("grant_type=" + TokenGet.encode(grant));
    if (service != null) {
      form.add("service=" + TokenGet.encode(service));
    }
    form.add("client_id=" + TokenGet.encode(clientId));
    if (!scopes.isEmpty()) {
      // OAuth2 joins scopes with spaces in one field.
      form.add("scope=" + TokenGet.encode(String.join(" ",
          scopes.scopes().stream().map(Scope::toString).toList())));
    }
    for (int i = 0; i + 1 < grantFields.size(); i += 2) {
      form.add(grantFields.get(i) + "=" + TokenGet.encode(grantFields.get(i + 1)));
    }
    if (grant.equals("password")) {
      form.add("access_type=offline");
    }
    HttpRequest request = HttpRequest.newBuilder(realm)
        .timeout(timeout)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(String.join("&", form)))
        .build();
    return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
  }
}
