package io.slipway.client;

import java.io.IOException;
import java.util.Objects;

/**
 * A {@link RegistryClient} made the first time a caller needs one. Building a client loads the
 * trust stores and starts an HTTP client, a noticeable share of a short command such as a build
 * that neither pulls nor pushes; such a command pays nothing. Safe for concurrent use: the client
 * is made at most once; {@link #close} closes it only if it was made.
 */
public final class OnDemandClient implements AutoCloseable {

  /** Makes the client; called at most once. */
  @FunctionalInterface
  public interface Factory {
    RegistryClient create() throws IOException;
  }

  private final Factory factory;
  private RegistryClient client;
  private boolean closed;

  private OnDemandClient(Factory factory) {
    this.factory = Objects.requireNonNull(factory, "factory");
  }

  /** A client made by {@code factory} when first asked for. */
  public static OnDemandClient of(Factory factory) {
    return new OnDemandClient(factory);
  }

  /** An already made {@code client}; closing this closes it. */
  public static OnDemandClient of(RegistryClient client) {
    Objects.requireNonNull(client, "client");
    OnDemandClient made = new OnDemandClient(() -> client);
    made.client = client;
    return made;
  }

  /** The client, made now if this is the first call. */
  public synchronized RegistryClient get() throws IOException {
    if (closed) {
      throw new IllegalStateException("the registry client was already closed");
    }
    if (client == null) {
      // Held while creating: it does no network I/O, only local set-up, and twins must not race.
      client = factory.create();
    }
    return client;
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (client != null) {
      client.close();
    }
  }
}
