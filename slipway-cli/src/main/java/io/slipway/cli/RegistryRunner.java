package io.slipway.cli;

import io.slipway.build.cache.BuildContentIndex;
import io.slipway.registry.RegistryConfig;
import io.slipway.registry.RegistryServer;
import io.slipway.registry.auth.RegistryAuth;
import io.slipway.registry.gc.MaintenanceConfig;
import java.io.PrintWriter;
import java.util.List;

/**
 * Runs a registry in the foreground until SIGTERM or Ctrl-C, then stops it cleanly: stop
 * accepting, let in-flight requests finish (up to the shutdown timeout, 30 s by default), cancel
 * the rest, checkpoint the WAL, close the stores, exit 0. A second signal exits at once. Shared by {@code
 * slipway serve} and {@code slipway registry serve}. Confined to the command's thread.
 */
final class RegistryRunner {
  private RegistryRunner() {}

  /** Configures slf4j-simple for a server: timestamps, info level, Jetty and the pool quiet. */
  static void configureLogging() {
    setDefault("org.slf4j.simpleLogger.showDateTime", "true");
    setDefault("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
    setDefault("org.slf4j.simpleLogger.showThreadName", "false");
    setDefault("org.slf4j.simpleLogger.showShortLogName", "true");
    setDefault("org.slf4j.simpleLogger.log.org.eclipse.jetty", "warn");
    setDefault("org.slf4j.simpleLogger.log.com.zaxxer.hikari", "warn");
    setDefault("org.slf4j.simpleLogger.log.org.flywaydb", "warn");
  }

  private static void setDefault(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }

  /** Runs with access control, GC schedule and shutdown timeout; see the class comment. */
  static int run(
      RegistryConfig config, RegistryAuth auth, MaintenanceConfig maintenance, PrintWriter err)
      throws Exception {
    // A builder may share the root (slipway build --root R beside slipway serve --root R): GC
    // must spare what its records name. The index names nothing on a registry-only root.
    RegistryServer server =
        RegistryServer.start(config, auth, maintenance, List.of(new BuildContentIndex()));
    ShutdownSignals.install(
        () -> {
          err.println("slipway: second signal: exiting now without draining; the state stays"
              + " consistent and the next start recovers it");
          err.flush();
        });
    Thread stopper =
        new Thread(
            () -> {
              err.println("slipway: stopping registry (draining in-flight requests)");
              err.flush();
              try {
                server.close();
                err.println("slipway: registry stopped");
              } catch (Exception e) {
                err.println("slipway: registry stopped with an error: " + e.getMessage());
              }
              err.flush();
            },
            "registry-shutdown");
    Runtime.getRuntime().addShutdownHook(stopper);
    err.println(
        "slipway: registry listening on " + server.baseUri() + " (deletes "
            + (config.deletesEnabled() ? "enabled" : "disabled") + ", auth "
            + (auth.authorizer() == io.slipway.registry.auth.Authorizer.disabled() ? "off" : "on")
            + "), data in "
            + config.root().toAbsolutePath().normalize());
    err.flush();
    server.join();
    return 0;
  }
}
