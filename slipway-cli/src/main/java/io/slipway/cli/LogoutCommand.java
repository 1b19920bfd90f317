package io.slipway.cli;

import io.slipway.client.auth.DockerConfigLogins;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code slipway logout REGISTRY}: forgets stored credentials, as {@code docker logout}. */
@Command(name = "logout", mixinStandardHelpOptions = true,
    description = "Remove a registry's stored credentials.")
final class LogoutCommand implements Callable<Integer> {
  @Mixin RegistryOptions options;

  @Parameters(index = "0", paramLabel = "REGISTRY") String registry;

  @Override
  public Integer call() throws Exception {
    CliEnvironment environment = options.environmentWithOverrides();
    boolean removed = new DockerConfigLogins(environment.dockerConfigFile(),
        environment.searchPath(), CliEnvironment.HELPER_TIMEOUT).remove(registry);
    System.err.println(removed ? "Removed credentials for " + registry
        : "Not logged in to " + registry);
    return 0;
  }
}
