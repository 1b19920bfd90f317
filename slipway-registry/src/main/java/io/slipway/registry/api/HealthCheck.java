package io.slipway.registry.api;

import io.slipway.registry.Exchange;
import io.slipway.registry.Registry;
import io.slipway.registry.WireCall;
import io.slipway.registry.meta.MetadataException;
import java.util.Map;

/**
 * Liveness and readiness for load balancers and orchestrators: 200 when the metadata database
 * answers, 503 otherwise. Thread-safe.
 */
// GET /healthz
public final class HealthCheck implements WireCall {
  private final Registry registry;

  public HealthCheck(Registry registry) {
    this.registry = registry;
  }

  @Override
  public void serve(Exchange exchange) throws Exception {
    try {
      registry.metadata().ping();
      exchange.sendJson(200, Map.of("status", "ok"));
    } catch (MetadataException e) {
      exchange.sendJson(503, Map.of("status", "unavailable", "reason", e.getMessage()));
    }
  }
}
