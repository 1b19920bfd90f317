package io.slipway.registry.api;

import io.slipway.registry.ErrorCode;
import io.slipway.registry.Exchange;
import io.slipway.registry.Registry;
import io.slipway.registry.RegistryException;
import io.slipway.registry.WireCall;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Lists a repository's tags in lexical order, {@code n} at a time after {@code last}, with a
 * {@code Link} to the next page; {@code n=0} answers an empty list without a Link. Thread-safe.
 */
// GET /v2/<name>/tags/list?n=<n>&last=<last>
public final class TagsList implements WireCall {
  private final Registry registry;

  public TagsList(Registry registry) {
    this.registry = registry;
  }

  @Override
  public void serve(Exchange exchange) throws Exception {
    String name = exchange.name();
    if (!registry.metadata().repositoryExists(name)) {
      throw RegistryException.of(ErrorCode.NAME_UNKNOWN, "repository " + name + " is not known");
    }
    Pagination pagination = Pagination.from(exchange);
    List<String> tags =
        pagination.limit() == 0
            ? List.of()
            : pagination.page(
                exchange,
                registry.metadata().tags(name, pagination.last(), pagination.limit() + 1),
                "/v2/" + name + "/tags/list",
                Function.identity());
    exchange.sendJson(200, Map.of("name", name, "tags", tags));
  }
}
