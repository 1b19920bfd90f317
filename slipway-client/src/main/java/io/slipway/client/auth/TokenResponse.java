package io.slipway.client.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;

/**
 * Reads a token endpoint's JSON answer into a {@link Token}: {@code token} (docker) or {@code
 * access_token} (OAuth2), {@code expires_in} in seconds (60 when absent), {@code refresh_token}.
 *
 * <p>The lifetime is counted from the local clock when the answer arrived, not from {@code
 * issued_at}, so a server clock that runs ahead cannot make a new token look stale. Stateless and
 * thread-safe.
 */
final class TokenResponse {
  private static final ObjectMapper JSON = new ObjectMapper();

  private TokenResponse() {}

  static Token read(URI endpoint, byte[] body, Clock clock) throws TokenFetchException {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException e) {
      throw new TokenFetchException(endpoint, 200,
          "answer is not JSON (" + preview(body) + "); is the realm URL right?");
    }
    if (root == null || !root.isObject()) {
      throw new TokenFetchException(endpoint, 200,
          "answer is not a JSON object (" + preview(body) + ")");
    }
    String value = text(root, "token");
    if (value == null) {
      value = text(root, "access_token");
    }
    if (value == null) {
      throw new TokenFetchException(endpoint, 200,
          "answer has neither \"token\" nor \"access_token\"");
    }
    Duration lifetime = Token.DEFAULT_LIFETIME;
    JsonNode expiresIn = root.get("expires_in");
    if (expiresIn != null && expiresIn.canConvertToLong() && expiresIn.asLong() > 0) {
      lifetime = Duration.ofSeconds(expiresIn.asLong());
    }
    return new Token(value, clock.instant(), lifetime, text(root, "refresh_token"));
  }

  private static String text(JsonNode root, String field) {
    JsonNode node = root.get(field);
    return node != null && node.isTextual() && !node.asText().isEmpty() ? node.asText() : null;
  }

  static String preview(byte[] body) {
    String text = new String(body, 0, Math.min(body.length, 80), java.nio.charset.StandardCharsets.UTF_8)
        .replaceAll("\\s+", " ");
    return body.length == 0 ? "empty body" : "starts \"" + text + "\"";
  }
}
