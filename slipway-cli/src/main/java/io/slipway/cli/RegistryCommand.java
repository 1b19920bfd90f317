package io.slipway.cli;

import io.slipway.registry.RegistryConfig;
import io.slipway.registry.auth.RegistryAuth;
import io.slipway.registry.auth.SelfSignedTls;
import io.slipway.registry.gc.MaintenanceConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code slipway registry}: commands that run and administer a registry. Main thread only. */
@Command(
    name = "registry",
    mixinStandardHelpOptions = true,
    description = "Run and administer an OCI registry.",
    subcommands = {RegistryCommand.Serve.class, RegistryUserCommand.class, RegistryGcCommand.class})
public final class RegistryCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command, e.g. serve");
  }

  /**
   * {@code slipway registry serve [--config registry.yaml] [--addr HOST:PORT] [--root DIR]}: the
   * flags override the file; without a file the defaults serve (loopback port 5000, deletes on).
   */
  @Command(
      name = "serve",
      mixinStandardHelpOptions = true,
      description = "Run the registry in the foreground until Ctrl-C or SIGTERM.")
  public static final class Serve implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
        description = "YAML configuration, laid out like distribution's config.yml.")
    Path config;

    @Option(names = "--addr", paramLabel = "HOST:PORT", description = "Listen address; overrides http.addr.")
    String addr;

    @Option(names = "--root", paramLabel = "DIR",
        description = "State directory; overrides storage.filesystem.rootdirectory.")
    Path root;

    @Option(names = "--tls-self-signed",
        description = "Serve HTTPS with a generated CA and certificate for localhost and 127.0.0.1;"
            + " the CA is written to <root>/tls/ca.pem for clients to trust.")
    boolean tlsSelfSigned;

    @Option(names = "--shutdown-timeout", paramLabel = "DURATION",
        description = "How long SIGTERM lets in-flight uploads finish, e.g. 30s; overrides"
            + " shutdown.timeout (default: 30s).")
    String shutdownTimeout;

    @Override
    public Integer call() throws Exception {
      RegistryRunner.configureLogging();
      RegistryConfig settings = RegistryConfig.defaults(Path.of("slipway-data"));
      MaintenanceConfig maintenance = MaintenanceConfig.defaults();
      if (config != null) {
        if (!Files.isRegularFile(config)) {
          throw new CommandLine.ParameterException(
              spec.commandLine(), "config file " + config + " does not exist");
        }
        settings = RegistryConfigFile.read(config, settings);
        maintenance = MaintenanceConfigFile.read(config, maintenance);
      }
      if (shutdownTimeout != null) {
        maintenance =
            maintenance.withShutdownTimeout(
                RegistryConfigFile.duration(
                    Path.of("--shutdown-timeout"), "value", shutdownTimeout));
      }
      if (addr != null) {
        HostPort hostPort = HostPort.parse(addr);
        settings = settings.withAddress(hostPort.host(), hostPort.port());
      }
      if (root != null) {
        settings = settings.withRoot(root);
      }
      if (tlsSelfSigned) {
        SelfSignedTls tls = SelfSignedTls.generate(settings.root().resolve("tls"));
        settings = settings.withTls(tls.certificate(), tls.key());
        spec.commandLine().getErr().println(
            "slipway: self-signed TLS; clients trust " + tls.caCertificate().toAbsolutePath()
                + " (skopeo: --cert-dir with it copied to ca.crt; curl: --cacert)");
      }
      RegistryAuth auth = RegistryAuth.disabled();
      if (config != null) {
        java.util.Optional<io.slipway.registry.auth.AuthConfig> authConfig =
            AuthConfigFile.read(config, settings.root());
        if (authConfig.isPresent()) {
          auth = RegistryAuth.open(authConfig.get(), java.time.Clock.systemUTC());
        }
      }
      return RegistryRunner.run(settings, auth, maintenance, spec.commandLine().getErr());
    }
  }
}
