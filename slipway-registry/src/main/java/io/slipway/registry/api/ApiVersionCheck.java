package io.slipway.registry.api;

import io.slipway.registry.Exchange;
import io.slipway.registry.WireCall;
import java.util.Map;

/**
 * Tells clients this is a registry speaking the v2 API; with auth (later) it is also where they
 * learn how to authenticate. Stateless, thread-safe.
 */
// GET /v2/
public final class ApiVersionCheck implements WireCall {
  @Override
  public void serve(Exchange exchange) throws Exception {
    exchange.sendJson(200, Map.of());
  }
}
