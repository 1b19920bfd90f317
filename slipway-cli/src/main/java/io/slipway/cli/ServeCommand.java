package io.slipway.cli;

import io.slipway.registry.RegistryConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code slipway serve}: a registry on {@code 127.0.0.1:5000} with state under {@code
 * ./slipway-data}, in the foreground until Ctrl-C. Confined to the main thread.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Run an OCI registry on 127.0.0.1:5000 with state in ./slipway-data until Ctrl-C.",
      "For TLS, limits and a config file use `slipway registry serve --config registry.yaml`."
    })
public final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--addr", paramLabel = "HOST:PORT", description = "Listen address (default: ${DEFAULT-VALUE}).")
  String addr = "127.0.0.1:5000";

  @Option(names = "--root", paramLabel = "DIR", description = "State directory (default: ${DEFAULT-VALUE}).")
  Path root = Path.of("slipway-data");

  @Option(names = "--shutdown-timeout", paramLabel = "DURATION",
      description = "How long SIGTERM lets in-flight uploads finish, e.g. 30s (default: ${DEFAULT-VALUE}).")
  String shutdownTimeout = "30s";

  @Override
  public Integer call() throws Exception {
    RegistryRunner.configureLogging();
    HostPort hostPort = HostPort.parse(addr);
    RegistryConfig config =
        RegistryConfig.defaults(root).withAddress(hostPort.host(), hostPort.port());
    return RegistryRunner.run(
        config,
        io.slipway.registry.auth.RegistryAuth.disabled(),
        io.slipway.registry.gc.MaintenanceConfig.defaults()
            .withShutdownTimeout(
                RegistryConfigFile.duration(
                    Path.of("--shutdown-timeout"), "value", shutdownTimeout)),
        spec.commandLine().getErr());
  }
}
