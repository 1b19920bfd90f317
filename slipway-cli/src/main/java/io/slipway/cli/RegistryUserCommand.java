package io.slipway.cli;

import io.slipway.registry.auth.HtpasswdFile;
import java.io.BufferedReader;
import java.io.Console;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code slipway registry user}: manage the users of a registry's htpasswd file. Main thread only. */
@Command(
    name = "user",
    mixinStandardHelpOptions = true,
    description = "Manage registry users (htpasswd file with bcrypt entries).",
    subcommands = {RegistryUserCommand.Add.class})
public final class RegistryUserCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command, e.g. add");
  }

  /**
   * {@code slipway registry user add NAME [--htpasswd FILE | --config registry.yaml]
   * [--password-stdin]}: adds the user or replaces their password; the registry picks the change
   * up without a restart.
   */
  @Command(
      name = "add",
      mixinStandardHelpOptions = true,
      description = "Add a user, or set a new password for an existing one.")
  public static final class Add implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "User name.")
    String name;

    @Option(names = "--htpasswd", paramLabel = "FILE", description = "The htpasswd file to write.")
    Path htpasswd;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
        description = "Registry YAML whose auth.htpasswd.path names the file.")
    Path config;

    @Option(names = "--password-stdin", description = "Read the password from standard input.")
    boolean passwordStdin;

    @Option(names = "--cost", paramLabel = "N", defaultValue = "10",
        description = "bcrypt cost (default: ${DEFAULT-VALUE}).")
    int cost;

    @Override
    public Integer call() throws Exception {
      Path file = htpasswd;
      if (file == null && config != null) {
        file = AuthConfigFile.htpasswd(config).orElseThrow(() -> new CommandLine.ParameterException(
            spec.commandLine(), config + " has no auth.htpasswd.path; pass --htpasswd FILE"));
      }
      if (file == null) {
        throw new CommandLine.ParameterException(spec.commandLine(), "pass --htpasswd FILE or --config FILE");
      }
      char[] password = passwordStdin ? readStdin() : prompt();
      try {
        HtpasswdFile.putUser(file, name, password, cost);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      } finally {
        Arrays.fill(password, '\0');
      }
      spec.commandLine().getErr().println("slipway: user " + name + " written to " + file);
      return 0;
    }

    private char[] readStdin() throws java.io.IOException {
      // As docker login --password-stdin: the first line, without its line ending.
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line = in.readLine();
      if (line == null || line.isEmpty()) {
        throw new CommandLine.ParameterException(spec.commandLine(), "no password on standard input");
      }
      return line.toCharArray();
    }

    private char[] prompt() {
      Console console = System.console();
      if (console == null) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "no terminal to prompt on; use --password-stdin");
      }
      char[] first = console.readPassword("Password for %s: ", name);
      char[] second = console.readPassword("Repeat the password: ");
      try {
        if (first == null || second == null || !Arrays.equals(first, second)) {
          throw new CommandLine.ParameterException(spec.commandLine(), "the passwords do not match");
        }
        if (first.length == 0) {
          throw new CommandLine.ParameterException(spec.commandLine(), "the password is empty");
        }
        return first.clone();
      } finally {
        if (first != null) {
          Arrays.fill(first, '\0');
        }
        if (second != null) {
          Arrays.fill(second, '\0');
        }
      }
    }
  }
}
