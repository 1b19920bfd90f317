package io.slipway.registry;

/**
 * One call of the registry's HTTP API, such as {@code PATCH /v2/<name>/blobs/uploads/<id>}. Each
 * implementation is one class that a reader can open to see everything that call does.
 * Implementations are stateless apart from the shared {@link Registry}, so safe for concurrent use.
 */
@FunctionalInterface
public interface WireCall {

  /**
   * Serves the exchange completely (status, headers, body), or throws a {@link RegistryException}
   * that the router turns into the spec's error answer.
   */
  void serve(Exchange exchange) throws Exception;
}
