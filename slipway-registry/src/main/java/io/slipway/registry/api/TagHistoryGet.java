package io.slipway.registry.api;

import io.slipway.registry.ErrorCode;
import io.slipway.registry.Exchange;
import io.slipway.registry.Registry;
import io.slipway.registry.RegistryException;
import io.slipway.registry.RepositoryNames;
import io.slipway.registry.WireCall;
import io.slipway.registry.meta.TagEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Slipway's vendor extension: every recorded create, move and delete of one tag, oldest first,
 * {@code n} at a time after the event id {@code last}, with a {@code Link} to the next page as the
 * tag list has. A tag that never existed in a known repository has an empty history; an unknown
 * repository is {@code NAME_UNKNOWN}. Documented in {@code docs/registry-history.md}. Thread-safe.
 */
// GET /v2/<name>/_slipway/history/<tag>?n=<n>&last=<id>
public final class TagHistoryGet implements WireCall {
  private final Registry registry;

  public TagHistoryGet(Registry registry) {
    this.registry = registry;
  }

  @Override
  public void serve(Exchange exchange) throws Exception {
    String name = exchange.name();
    String tag = RepositoryNames.checkTag(exchange.reference());
    if (!registry.metadata().repositoryExists(name)) {
      throw RegistryException.of(ErrorCode.NAME_UNKNOWN, "repository " + name + " is not known");
    }
    Pagination pagination = Pagination.from(exchange);
    long after;
    try {
      after = pagination.last() == null ? 0 : Long.parseLong(pagination.last());
    } catch (NumberFormatException e) {
      throw RegistryException.of(ErrorCode.PAGINATION_NUMBER_INVALID,
          "last must be an event id, got \"" + pagination.last() + "\"");
    }
    List<TagEvent> events =
        pagination.limit() == 0
            ? List.of()
            : pagination.page(
                exchange,
                registry.metadata().tagHistory(name, tag, after, pagination.limit() + 1),
                "/v2/" + name + "/_slipway/history/" + tag,
                event -> Long.toString(event.id()));
    List<Map<String, Object>> body = new ArrayList<>();
    for (TagEvent event : events) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("id", event.id());
      entry.put("time", event.at().toString());
      entry.put("user", event.actor());
      entry.put("action", event.kind().name().toLowerCase(Locale.ROOT));
      entry.put("from", event.oldDigest() == null ? null : event.oldDigest().toString());
      entry.put("to", event.newDigest() == null ? null : event.newDigest().toString());
      body.add(entry);
    }
    Map<String, Object> response = new LinkedHashMap<>();
    response.put("name", name);
    response.put("tag", tag);
    response.put("history", body);
    exchange.sendJson(200, response);
  }
}
