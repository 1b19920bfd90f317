package io.slipway.registry.api;

import io.slipway.registry.Exchange;
import io.slipway.registry.Registry;
import io.slipway.registry.WireCall;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Lists repositories in lexical order with the same pagination as tags, only those the caller may
 * pull (all of them when auth is disabled). Thread-safe.
 */
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
                exchange, visible(exchange, pagination), "/v2/_catalog", Function.identity());
    exchange.sendJson(200, Map.of("repositories", names));
  }

  /**
   * Up to {@code limit + 1} repositories after {@code last} that the caller may pull. Hidden
   * repositories are skipped by reading further batches, so a page is short only at the end and
   * the Link header never points past a hidden name the caller could not have seen.
   */
  private List<String> visible(Exchange exchange, Pagination pagination) {
    int wanted = pagination.limit() + 1;
    List<String> visible = new ArrayList<>();
    String last = pagination.last();
    while (visible.size() < wanted) {
      List<String> batch = registry.metadata().repositories(last, wanted);
      visible.addAll(registry.authorizer().visibleRepositories(exchange.caller(), batch));
      if (batch.size() < wanted) {
        break;
      }
      last = batch.get(batch.size() - 1);
    }
    return visible.size() > wanted ? visible.subList(0, wanted) : visible;
  }
}
