package io.slipway.cli;

import io.slipway.cli.buildserver.BuildIdentity;
import io.slipway.cli.buildserver.BuildServerClient;
import io.slipway.cli.buildserver.BuildServerRequest;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * {@code slipway build} handed to the build server of its root ({@code slipway builder serve}),
 * before anything else of the command is loaded: a client that finds the server pays only for
 * the JVM's start and this relay. It finds the root as the command would ({@code --root}, else
 * the data root of the environment) from the raw arguments; the server parses them in full and
 * declines, so the build runs here after all, when they mean another root or {@code --builder
 * local}. Confined to the main thread (cancellation arrives on a signal's thread and only sends a
 * frame).
 */
final class RemoteBuild {
  private RemoteBuild() {}

  /**
   * Runs {@code args} (starting with {@code build}) in the build server when one serves their
   * root; empty when the build should run in this process.
   */
  static OptionalInt run(String[] args, PrintStream out, PrintStream err) {
    List<String> arguments = Arrays.asList(args).subList(1, args.length);
    if (wantsLocal(arguments) || arguments.stream().anyMatch(a -> a.startsWith("@"))) {
      return OptionalInt.empty();
    }
    CliEnvironment environment = CliEnvironment.current();
    Path cwd = Path.of("").toAbsolutePath();
    Path root = environment.builderRoot(rootOption(arguments).map(cwd::resolve).orElse(null));
    Optional<BuildServerClient> connected = BuildServerClient.connect(BuilderCommand.socket(root));
    if (connected.isEmpty()) {
      return OptionalInt.empty();
    }
    boolean terminal = Terminals.stderrIsTerminal();
    BuildServerRequest request = new BuildServerRequest(BuildIdentity.current(), arguments, cwd,
        environment.variables(), terminal,
        terminal ? Terminals.width(environment.variables()) : 0);
    try (BuildServerClient client = connected.get()) {
      Optional<ShutdownSignals.Installed> signals = ShutdownSignals.install(
          () -> {
            err.println("slipway: signal received: cancelling the build (a second signal exits"
                + " at once)");
            err.flush();
            client.cancel();
          },
          () -> {
            err.println("slipway: second signal: exiting now; the build server goes on"
                + " cancelling the build");
            err.flush();
          });
      try {
        BuildServerClient.Outcome outcome = client.run(request, System.in, out, err,
            BuildServerClient.ANSWER_DEADLINE);
        return switch (outcome) {
          case BuildServerClient.Outcome.Exited exited -> OptionalInt.of(exited.code());
          case BuildServerClient.Outcome.Declined declined -> {
            if (wantsServer(arguments)) {
              err.println("error: --builder server: the build server of " + root
                  + " declined the build: " + declined.reason());
              yield OptionalInt.of(BuildCommand.EXIT_FAILED);
            }
            err.println("slipway: building in this process: " + declined.reason());
            yield OptionalInt.empty();
          }
        };
      } finally {
        signals.ifPresent(ShutdownSignals.Installed::close);
      }
    } catch (IOException e) {
      err.println("error: " + e.getMessage());
      return OptionalInt.of(BuildCommand.EXIT_FAILED);
    }
  }

  /** Whether the arguments ask for a build in this process ({@code --builder local}). */
  static boolean wantsLocal(List<String> arguments) {
    return optionValue(arguments, "--builder").map(v -> v.equalsIgnoreCase("local"))
        .orElse(false);
  }

  /** Whether the arguments insist on the build server ({@code --builder server}). */
  static boolean wantsServer(List<String> arguments) {
    return optionValue(arguments, "--builder").map(v -> v.equalsIgnoreCase("server"))
        .orElse(false);
  }

  /** The {@code --root} the arguments give, as written. */
  static Optional<Path> rootOption(List<String> arguments) {
    return optionValue(arguments, "--root").map(Path::of);
  }

  /** The value of the last {@code name VALUE} or {@code name=VALUE} before a {@code --}. */
  private static Optional<String> optionValue(List<String> arguments, String name) {
    String value = null;
    for (int i = 0; i < arguments.size(); i++) {
      String argument = arguments.get(i);
      if (argument.equals("--")) {
        break;
      }
      if (argument.equals(name) && i + 1 < arguments.size()) {
        value = arguments.get(++i);
      } else if (argument.startsWith(name + "=")) {
        value = argument.substring(name.length() + 1);
      }
    }
    return Optional.ofNullable(value);
  }
}
