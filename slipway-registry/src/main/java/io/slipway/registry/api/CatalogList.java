package io.slipway.registry.api;

import io.slipway.registry.Exchange;
import io.slipway.registry.Registry;
import io.slipway.registry.WireCall;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Lists repositories in lexical order with the same pagination as tags. Thread-safe. */
// GET /v2/_catalog?n=<n>&last=<last>
public final class CatalogList implements WireCall {
  private final Registry registry;

  public CatalogList(Registry registry) {
    this.registry = registry;
  }

  @Override
  public void serve(Exchange exchange) throws Exception {
    Pagination pagination = Pagination.from(exchange);
    List<String> names =
        pagination.limit() == 0
            ? List.of()
            : pagination.page(
                exchange,
                registry.metadata().repositories(pagination.last(), pagination.limit() + 1),
                "/v2/_catalog",
                Function.identity());
    exchange.sendJson(200, Map.of("repositories", names));
  }
}
