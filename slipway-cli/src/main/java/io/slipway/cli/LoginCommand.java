package io.slipway.cli;

import io.slipway.client.RegistryClient;
import io.slipway.client.auth.Credential;
import io.slipway.client.auth.DockerConfigLogins;
import io.slipway.client.auth.RegistryAuth;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code slipway login REGISTRY}: checks credentials against the registry and stores them in
 * docker's {@code config.json} (or its credential helper), as {@code docker login} does. Main
 * thread only.
 */
@Command(name = "login", mixinStandardHelpOptions = true,
    description = "Log in to a registry; credentials go where docker keeps them.")
final class LoginCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin RegistryOptions options;

  @Option(names = {"-u", "--username"}, required = true) String username;

  @Option(names = {"-p", "--password"}, description = "Password (prefer --password-stdin).")
  String password;

  @Option(names = "--password-stdin", description = "Read the password from standard input.")
  boolean passwordStdin;

  @Parameters(index = "0", paramLabel = "REGISTRY") String registry;

  @Override
  public Integer call() throws Exception {
    String secret = password;
    if (passwordStdin) {
      secret = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
          .readLine();
    }
    if (secret == null || secret.isEmpty()) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "give a password with --password-stdin or -p");
    }
    Credential credential = new Credential.UsernamePassword(username, secret);
    try (RegistryClient client = RegistryClient.create(
        options.settings(),
        host -> credential, RegistryAuth.Settings.defaults())) {
      client.ping(registry);
    }
    String where = new DockerConfigLogins(
        options.environmentWithOverrides().dockerConfigFile(), options.helperLaunch())
        .store(registry, username, secret);
    System.err.println("Login succeeded; credentials stored in " + where);
    return 0;
  }
}
