package io.slipway.registry;

import io.slipway.registry.auth.RegistryAuth;
import io.slipway.registry.meta.RegistryMetadata;
import io.slipway.registry.meta.SqlRegistryMetadata;
import io.slipway.store.blob.BlobStore;
import io.slipway.store.blob.FileBlobStore;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A running registry: Jetty with one virtual thread per request, the router, the request log and
 * the upload purger, over a blob store and metadata under {@link RegistryConfig#root()}. {@link
 * #close()} stops accepting, lets in-flight requests finish for up to 30 seconds, then closes the
 * stores. Start and stop from one thread; the running server is safe for concurrent requests.
 */
public final class RegistryServer implements AutoCloseable {
  private static final long STOP_TIMEOUT_MS = 30_000;

  private final RegistryConfig config;
  private final BlobStore blobs;
  private final RegistryMetadata metadata;
  private final Registry registry;
  private final Server server;
  private final ServerConnector connector;
  private final ScheduledExecutorService purgeScheduler;

  private RegistryServer(
      RegistryConfig config, BlobStore blobs, RegistryMetadata metadata, RegistryAuth auth)
      throws java.io.IOException {
    this.config = config;
    this.blobs = blobs;
    this.metadata = metadata;
    this.registry = new Registry(blobs, metadata, config, auth.authorizer());

    QueuedThreadPool threads = new QueuedThreadPool();
    threads.setName("registry");
    threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
    this.server = new Server(threads);

    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendDateHeader(true);
    // Paths like /v2/../x must reach the router, which rejects them as invalid names (400), not
    // be rewritten into another route.
    http.setUriCompliance(UriCompliance.UNSAFE);
    HttpConnectionFactory plain = new HttpConnectionFactory(http);
    if (config.tlsCertificate() != null) {
      http.addCustomizer(new SecureRequestCustomizer(false));
      SslContextFactory.Server tls = new SslContextFactory.Server();
      char[] password = "registry".toCharArray();
      tls.setKeyStore(PemKeyStore.load(config.tlsCertificate(), config.tlsKey(), password));
      tls.setKeyStorePassword(new String(password));
      this.connector =
          new ServerConnector(server, new SslConnectionFactory(tls, plain.getProtocol()), plain);
    } else {
      this.connector = new ServerConnector(server, plain);
    }
    connector.setHost(config.host());
    connector.setPort(config.port());
    connector.setIdleTimeout(config.idleTimeout().toMillis());
    server.addConnector(connector);
    // The auth handlers (the token endpoint) answer their own paths and pass everything else on.
    org.eclipse.jetty.server.Handler.Sequence handlers = new org.eclipse.jetty.server.Handler.Sequence();
    auth.handlers().forEach(handlers::addHandler);
    handlers.addHandler(new Router(registry));
    server.setHandler(new GracefulHandler(handlers));
    if (config.accessLog()) {
      server.setRequestLog(new StructuredRequestLog());
    }
    server.setStopTimeout(STOP_TIMEOUT_MS);
    this.purgeScheduler =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> Thread.ofPlatform().name("upload-purger").daemon().unstarted(runnable));
  }

  /**
   * Opens the stores under the config's root ({@code blobs/}, {@code ingest/}, {@code meta.db})
   * and starts serving. Returns once the port is bound.
   */
  public static RegistryServer start(RegistryConfig config) throws Exception {
    return start(config, RegistryAuth.disabled());
  }

  /** Like {@link #start(RegistryConfig)}, with access control from {@code auth}. */
  public static RegistryServer start(RegistryConfig config, RegistryAuth auth) throws Exception {
    BlobStore blobs = FileBlobStore.open(config.root());
    RegistryMetadata metadata = SqlRegistryMetadata.openSqlite(config.root().resolve("meta.db"));
    return start(config, blobs, metadata, auth);
  }

  /** Starts serving over stores the caller opened; {@link #close()} closes them. */
  public static RegistryServer start(
      RegistryConfig config, BlobStore blobs, RegistryMetadata metadata) throws Exception {
    return start(config, blobs, metadata, RegistryAuth.disabled());
  }

  /** Starts serving over stores the caller opened, with access control from {@code auth}. */
  public static RegistryServer start(
      RegistryConfig config, BlobStore blobs, RegistryMetadata metadata, RegistryAuth auth)
      throws Exception {
    RegistryServer registryServer = new RegistryServer(config, blobs, metadata, auth);
    try {
      registryServer.server.start();
    } catch (Exception e) {
      registryServer.close();
      throw e;
    }
    UploadPurger purger = new UploadPurger(registryServer.registry);
    long every = purger.interval().toMillis();
    // The first pass runs at once: sessions abandoned before a restart need not wait a period.
    registryServer.purgeScheduler.scheduleWithFixedDelay(purger, 0, every, TimeUnit.MILLISECONDS);
    return registryServer;
  }

  /** The bound port (useful when the config asked for port 0). */
  public int port() {
    return connector.getLocalPort();
  }

  /** The bound address. */
  public InetSocketAddress address() {
    return new InetSocketAddress(config.host(), port());
  }

  /** The base URL clients use, such as {@code http://127.0.0.1:5000}. */
  public URI baseUri() {
    String scheme = config.tlsCertificate() != null ? "https" : "http";
    String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
    return URI.create(scheme + "://" + host + ":" + port());
  }

  /** The shared state the wire calls use; tests reach the stores through it. */
  public Registry registry() {
    return registry;
  }

  /** Blocks until the server stops. */
  public void join() throws InterruptedException {
    server.join();
  }

  @Override
  public void close() throws java.io.IOException {
    purgeScheduler.shutdownNow();
    java.io.IOException failure = null;
    try {
      server.stop();
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      failure = new java.io.IOException("stopping the registry failed: " + e, e);
    }
    try {
      blobs.close();
      metadata.close();
    } catch (java.io.IOException | RuntimeException e) {
      if (failure == null) {
        failure = e instanceof java.io.IOException io ? io : new java.io.IOException(e);
      } else {
        failure.addSuppressed(e);
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
