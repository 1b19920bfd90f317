package io.slipway.registry.api;

import io.slipway.registry.ErrorCode;
import io.slipway.registry.Exchange;
import io.slipway.registry.RegistryException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The {@code n}/{@code last} pagination shared by tags, catalog and referrers lists, with the
 * {@code Link: <…>; rel="next"} header of the spec. Immutable.
 *
 * @param limit page size asked for (capped at {@link #MAX_PAGE})
 * @param last the entry after which the page starts, or null
 */
record Pagination(int limit, String last) {
  /** Largest page served, whatever {@code n} asks for; more come through the Link header. */
  static final int MAX_PAGE = 10_000;

  static Pagination from(Exchange exchange) {
    String last = exchange.query("last").orElse(null);
    String n = exchange.query("n").orElse(null);
    if (n == null) {
      return new Pagination(MAX_PAGE, last);
    }
    try {
      int value = Integer.parseInt(n);
      if (value < 0) {
        throw new NumberFormatException("negative");
      }
      return new Pagination(Math.min(value, MAX_PAGE), last);
    } catch (NumberFormatException e) {
      throw RegistryException.of(
          ErrorCode.PAGINATION_NUMBER_INVALID, "n must be a non-negative integer, got \"" + n + "\"");
    }
  }

  /**
   * Trims a page fetched with {@code limit + 1} entries to {@code limit}, and sets the Link header
   * when there was more.
   */
  <T> List<T> page(Exchange exchange, List<T> fetched, String path, java.util.function.Function<T,
      String> key) {
    if (fetched.size() <= limit) {
      return fetched;
    }
    List<T> page = fetched.subList(0, limit);
    String next =
        path + "?n=" + limit + "&last="
            + URLEncoder.encode(key.apply(page.get(page.size() - 1)), StandardCharsets.UTF_8);
    exchange.setHeader("Link", "<" + next + ">; rel=\"next\"");
    return page;
  }
}
