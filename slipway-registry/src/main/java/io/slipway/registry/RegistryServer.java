package io.slipway.registry;

import io.slipway.registry.auth.RegistryAuth;
import io.slipway.registry.gc.GarbageCollector;
import io.slipway.store.fsck.ContentIndex;
import io.slipway.registry.gc.MaintenanceConfig;
import io.slipway.registry.gc.RegistryRecovery;
import io.slipway.registry.meta.RegistryMetadata;
import io.slipway.registry.meta.SqlRegistryMetadata;
import io.slipway.store.blob.BlobStore;
import io.slipway.store.blob.FileBlobStore;
import io.slipway.store.fsck.DatabaseSalvage;
import io.slipway.store.sql.Database;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running registry: Jetty with one virtual thread per request, the router, the request log and
 * the upload purger and the scheduled garbage collector, over a blob store and metadata under
 * {@link RegistryConfig#root()}, recovered before the first request (see {@link RegistryRecovery}).
 * {@link #close()} stops accepting, lets in-flight requests finish for up to the shutdown timeout
 * (30 seconds unless {@link MaintenanceConfig} says otherwise), cancels the rest, checkpoints the
 * WAL and closes the stores, logging what was drained and what cancelled. Start and stop from one
 * thread; the running server is safe for concurrent requests.
 */
public final class RegistryServer implements AutoCloseable {
  /** Bytes read from a connection at a time; see where the connector is configured. */
  private static final int INPUT_BUFFER_SIZE = 128 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(RegistryServer.class);

  private final RegistryConfig config;
  private final BlobStore blobs;
  private final RegistryMetadata metadata;
  private final Registry registry;
  private final Server server;
  private final ServerConnector connector;
  private final ScheduledExecutorService purgeScheduler;
  private final GracefulHandler graceful;
  private final MaintenanceConfig maintenance;
  /** The database this server opened itself, closed (and checkpointed) last; null otherwise. */
  private Database ownedDatabase;
  private GarbageCollector collector;

  private RegistryServer(
      RegistryConfig config,
      BlobStore blobs,
      RegistryMetadata metadata,
      RegistryAuth auth,
      MaintenanceConfig maintenance)
      throws java.io.IOException {
    this.config = config;
    this.blobs = blobs;
    this.metadata = metadata;
    this.maintenance = maintenance;
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
    // Jetty reads at most one input buffer (8 KiB by default) per wake-up of the request; a blob
    // push is then 130,000 reads, parks and hash calls per GiB. 128 KiB takes 16 times fewer.
    // The buffer is pooled and held only while a request has unread bytes.
    plain.setInputBufferSize(INPUT_BUFFER_SIZE);
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
    this.graceful = new GracefulHandler(handlers);
    // Jetty shortens idle timeouts to this once shutdown starts (a second by default), which cut
    // a slow client's upload mid-drain; an upload may stall as long as the drain lasts.
    graceful.setShutdownIdleTimeout(Math.max(1, maintenance.shutdownTimeout().toMillis()));
    server.setHandler(graceful);
    if (config.accessLog()) {
      server.setRequestLog(new StructuredRequestLog());
    }
    server.setStopTimeout(Math.max(1, maintenance.shutdownTimeout().toMillis()));
    this.purgeScheduler =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> Thread.ofPlatform().name("upload-purger").daemon().unstarted(runnable));
  }

  /**
   * Opens the stores under the config's root ({@code blobs/}, {@code ingest/}, {@code meta.db})
   * with {@link MaintenanceConfig#defaults()} and starts serving. Returns once the port is bound.
   */
  public static RegistryServer start(RegistryConfig config) throws Exception {
    return start(config, RegistryAuth.disabled(), MaintenanceConfig.defaults());
  }

  /** Like {@link #start(RegistryConfig)}, with access control from {@code auth}. */
  public static RegistryServer start(RegistryConfig config, RegistryAuth auth) throws Exception {
    return start(config, auth, MaintenanceConfig.defaults());
  }

  /** Like {@link #start(RegistryConfig)}, with garbage collection and shutdown per {@code maintenance}. */
  public static RegistryServer start(RegistryConfig config, MaintenanceConfig maintenance)
      throws Exception {
    return start(config, RegistryAuth.disabled(), maintenance);
  }

  /**
   * Opens the stores under the config's root, recovers them (a database SQLite reports corrupt is
   * set aside and rebuilt from the content store), and starts serving with garbage collection on
   * {@code maintenance}'s schedule. Returns once the port is bound.
   */
  public static RegistryServer start(
      RegistryConfig config, RegistryAuth auth, MaintenanceConfig maintenance) throws Exception {
    return start(config, auth, maintenance, List.of());
  }

  /**
   * Like {@link #start(RegistryConfig, RegistryAuth, MaintenanceConfig)}, with a garbage collector
   * that spares every blob {@code coLocated} name: the records of other modules (a builder) that
   * share the root's database and store.
   */
  public static RegistryServer start(RegistryConfig config, RegistryAuth auth,
      MaintenanceConfig maintenance, List<ContentIndex> coLocated) throws Exception {
    FileBlobStore blobs = FileBlobStore.open(config.root());
    Database database;
    try {
      database = openRecovered(config.root(), blobs);
    } catch (Exception e) {
      blobs.close();
      throw e;
    }
    RegistryServer registryServer =
        new RegistryServer(
            config, blobs, SqlRegistryMetadata.using(database), auth, maintenance);
    registryServer.ownedDatabase = database;
    registryServer.collector =
        new GarbageCollector(
            database, blobs, registryServer.registry.pins(), maintenance.gc(),
            java.time.Clock.systemUTC(), coLocated);
    return startServing(registryServer);
  }

  private static Database openRecovered(java.nio.file.Path root, FileBlobStore blobs)
      throws Exception {
    DatabaseSalvage.Opened opened =
        DatabaseSalvage.open(
            root.resolve("meta.db"), List.of(SqlRegistryMetadata.MIGRATIONS),
            java.time.Clock.systemUTC());
    Database database = opened.database();
    try {
      RegistryRecovery recovery = new RegistryRecovery(database, blobs);
      if (opened.setAside().isPresent()) {
        LOG.error("METADATA DATABASE CORRUPT: {} ({}); moved it to {} and started a new one",
            root.resolve("meta.db"), opened.problem().orElse("?"), opened.setAside().get());
        int indexed = recovery.reindex();
        LOG.error("REBUILT FROM CONTENT: re-indexed {} manifests by digest into repository \"{}\"."
                + " LOST: every tag, every repository name and every upload session; push tags"
                + " again (the manifests are reachable by digest)",
            indexed, RegistryRecovery.RECOVERED_REPOSITORY);
      }
      recovery.recover();
      return database;
    } catch (Exception e) {
      database.close();
      throw e;
    }
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
    return startServing(
        new RegistryServer(config, blobs, metadata, auth, MaintenanceConfig.defaults()));
  }

  private static RegistryServer startServing(RegistryServer registryServer) throws Exception {
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
    java.time.Duration gcEvery = registryServer.maintenance.gc().every();
    if (registryServer.collector != null && !gcEvery.isZero()) {
      GarbageCollector collector = registryServer.collector;
      registryServer.purgeScheduler.scheduleWithFixedDelay(
          () -> {
            try {
              collector.collect(false);
            } catch (Exception e) {
              LOG.warn("scheduled garbage collection failed: {}", e.toString());
            }
          },
          gcEvery.toMillis(),
          gcEvery.toMillis(),
          TimeUnit.MILLISECONDS);
    }
    return registryServer;
  }

  /**
   * The garbage collector of a server that opened its own stores ({@link #start(RegistryConfig,
   * MaintenanceConfig)}).
   */
  public java.util.Optional<GarbageCollector> collector() {
    return java.util.Optional.ofNullable(collector);
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
    long inFlight = graceful.getCurrentRequestCount();
    if (inFlight > 0) {
      LOG.info("shutdown: draining {} requests in flight for up to {} s", inFlight,
          maintenance.shutdownTimeout().toSeconds());
    }
    try {
      // Drain requests, not connections: stop accepting, wait for the requests in flight, then
      // stop at once. A graceful server stop would also wait for every client's idle keep-alive
      // connection to time out, holding SIGTERM for the whole drain timeout with nothing to drain.
      for (org.eclipse.jetty.server.Connector each : server.getConnectors()) {
        if (each instanceof org.eclipse.jetty.util.component.Graceful stopsAccepting) {
          stopsAccepting.shutdown();
        }
      }
      try {
        graceful.shutdown().get(maintenance.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS);
        if (inFlight > 0) {
          LOG.info("shutdown: {} requests drained, 0 cancelled", inFlight);
        }
      } catch (java.util.concurrent.TimeoutException e) {
        // The deadline passed: stopping closes the remaining connections, which cancels their
        // requests. Each fails on its next read; what it wrote is an ingest the store can resume
        // or a temporary file the next start deletes, never a record pointing at missing content.
        long cancelled = graceful.getCurrentRequestCount();
        LOG.warn("shutdown: {} requests drained, {} cancelled after {} ms",
            Math.max(0, inFlight - cancelled), cancelled, maintenance.shutdownTimeout().toMillis());
      }
      server.setStopTimeout(0);
      server.stop();
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      failure = new java.io.IOException("stopping the registry failed: " + e, e);
    }
    try {
      // A collection under way finishes its current deletion before the stores go.
      if (!purgeScheduler.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.warn("shutdown: garbage collection did not stop within 10 s; closing anyway");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      blobs.close();
      metadata.close();
      if (ownedDatabase != null) {
        // Checkpoints the WAL into meta.db, so the next start replays nothing.
        ownedDatabase.close();
      }
    } catch (java.io.IOException | java.sql.SQLException | RuntimeException e) {
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
