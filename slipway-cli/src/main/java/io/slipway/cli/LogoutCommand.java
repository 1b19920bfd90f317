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
    boolean removed = new DockerConfigLogins(
        options.environmentWithOverrides().dockerConfigFile(), options.helperLaunch())
        .remove(registry);
    System.err.println(removed ? "Removed credentials for " + registry
        : "Not logged in to " + registry);
    return 0;
  }
}
