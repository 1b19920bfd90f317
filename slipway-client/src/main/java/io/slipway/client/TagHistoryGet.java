package io.slipway.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.slipway.oci.auth.Scope;
import io.slipway.client.auth.ScopeSet;
import io.slipway.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Slipway's vendor extension {@code GET /v2/<name>/_slipway/history/<tag>}, following {@code
 * Link: <...>; rel="next"} pages. Other registries answer 404, which surfaces as a {@link
 * RegistryException}. Stateless.
 */
final class TagHistoryGet {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");
  private static final int MAX_PAGES = 10_000;

  private TagHistoryGet() {}

  // GET /v2/<name>/_slipway/history/<tag>[?n=&last=]
  static List<TagChange> send(Transport transport, Repository repository, String tag)
      throws IOException, InterruptedException {
    List<TagChange> changes = new ArrayList<>();
    URI uri = transport.uri(repository, "_slipway/history/" + tag);
    for (int page = 0; uri != null && page < MAX_PAGES; page++) {
      Transport.Call call = Transport.Call.of(repository,
          ScopeSet.of(Scope.pull(repository.name())), "GET", uri, Set.of(200));
      HttpResponse<InputStream> response = transport.send(call);
      JsonNode root;
      try (InputStream in = response.body()) {
        root = JSON.readTree(in.readNBytes(64 << 20));
      }
      for (JsonNode event : root == null ? JSON.createArrayNode() : root.path("history")) {
        changes.add(new TagChange(
            event.path("id").asLong(),
            Instant.parse(event.path("time").asText()),
            event.path("user").asText("anonymous"),
            event.path("action").asText(),
            digest(event.path("from")),
            digest(event.path("to"))));
      }
      uri = null;
      for (String link : response.headers().allValues("Link")) {
        Matcher next = NEXT.matcher(link);
        if (next.find()) {
          uri = response.request().uri().resolve(next.group(1));
        }
      }
    }
    return changes;
  }

  private static Digest digest(JsonNode node) {
    return node.isTextual() ? Digest.parse(node.asText()) : null;
  }
}
