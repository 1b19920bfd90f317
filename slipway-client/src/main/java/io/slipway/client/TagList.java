package io.slipway.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.slipway.oci.auth.Scope;
import io.slipway.client.auth.ScopeSet;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /v2/<name>/tags/list}, following {@code Link: <...>; rel="next"} pages. Stateless.
 */
final class TagList {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");
  private static final int MAX_PAGES = 10_000;

  private TagList() {}

  // GET /v2/<name>/tags/list[?n=&last=]
  static List<String> send(Transport transport, Repository repository)
      throws IOException, InterruptedException {
    List<String> tags = new ArrayList<>();
    URI uri = transport.uri(repository, "tags/list");
    for (int page = 0; uri != null && page < MAX_PAGES; page++) {
      Transport.Call call = Transport.Call.of(repository,
          ScopeSet.of(Scope.pull(repository.name())), "GET", uri, Set.of(200));
      HttpResponse<InputStream> response = transport.send(call);
      JsonNode root;
      try (InputStream in = response.body()) {
        root = JSON.readTree(in.readNBytes(16 << 20));
      }
      JsonNode list = root == null ? null : root.get("tags");
      if (list != null && list.isArray()) {
        list.forEach(tag -> tags.add(tag.asText()));
      }
      uri = null;
      for (String link : response.headers().allValues("Link")) {
        Matcher next = NEXT.matcher(link);
        if (next.find()) {
          uri = response.request().uri().resolve(next.group(1));
        }
      }
    }
    return tags;
  }
}
