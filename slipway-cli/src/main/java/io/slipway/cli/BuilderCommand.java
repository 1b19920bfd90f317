package io.slipway.cli;

import io.slipway.cli.buildserver.BuildServer;
import io.slipway.cli.buildserver.BuildServerClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code slipway builder}: the build server. {@code slipway builder serve} keeps one JVM running
 * for a state root, its code compiled and its caches warm, and {@code slipway build} on that root
 * hands its build to it over {@code <root>/builder.sock} instead of building in a fresh JVM (the
 * role BuildKit's daemon plays for {@code buildx}). Confined to the main thread.
 */
@Command(
    name = "builder",
    mixinStandardHelpOptions = true,
    description = "Run the build server that `slipway build` hands its builds to.",
    subcommands = {BuilderCommand.Serve.class, BuilderCommand.Status.class,
        BuilderCommand.Stop.class})
public final class BuilderCommand implements Runnable {

  /** The build server's socket, in the root it serves. */
  static final String SOCKET_NAME = "builder.sock";

  @Spec CommandSpec spec;

  /** The socket of the build server of {@code root}. */
  static Path socket(Path root) {
    return root.resolve(SOCKET_NAME);
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command, e.g. serve");
  }

  /** The {@code --root} of the {@code builder} commands, as {@code slipway build} takes it. */
  static final class RootOption {
    @Option(names = "--root", paramLabel = "DIR",
        description = "Builder state (default: $XDG_DATA_HOME/slipway or ~/.local/share/slipway),"
            + " as `slipway build --root`")
    Path root;

    /** The state root, absolute. */
    Path stateRoot() {
      return CliEnvironment.current().builderRoot(root);
    }
  }

  /** What a control command asks a connected build server. */
  @FunctionalInterface
  private interface Ask {
    void ask(BuildServerClient client) throws IOException;
  }

  /**
   * Asks the server on {@code socket}; exit 0 once it answered, {@code absentExit} (after
   * {@code absent} and the socket on standard error) when none answers, 1 when the exchange fails.
   */
  private static int ask(CommandSpec spec, Path socket, String absent, int absentExit, Ask ask) {
    var connected = BuildServerClient.connect(socket);
    if (connected.isEmpty()) {
      spec.commandLine().getErr().println(absent + socket);
      return absentExit;
    }
    try (var client = connected.get()) {
      ask.ask(client);
      return 0;
    } catch (IOException e) {
      spec.commandLine().getErr().println("error: " + socket + ": " + e.getMessage());
      return 1;
    }
  }

  /**
   * {@code slipway builder status [--root DIR]}: what the root's build server says of itself;
   * exits 0 when one runs, 1 when none answers.
   */
  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "Show whether a build server serves the root, and what it is doing.")
  public static final class Status implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin RootOption root;

    @Override
    public Integer call() {
      return ask(spec, socket(root.stateRoot()), "no build server answers at ", 1, client -> {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        client.status(answer);
        spec.commandLine().getOut().print(answer.toString(StandardCharsets.UTF_8));
        spec.commandLine().getOut().flush();
      });
    }
  }

  /**
   * {@code slipway builder stop [--root DIR]}: asks the root's build server to stop, as SIGTERM
   * would; exits 0 once it agreed, or when none runs.
   */
  @Command(
      name = "stop",
      mixinStandardHelpOptions = true,
      description = {
        "Stop the root's build server, as SIGTERM would: no new builds; running ones get its"
            + " shutdown timeout to finish, then are cancelled."
      })
  public static final class Stop implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin RootOption root;

    @Override
    public Integer call() {
      Path socket = socket(root.stateRoot());
      return ask(spec, socket, "no build server runs at ", 0, client -> {
        client.stop();
        spec.commandLine().getErr().println("asked the build server at " + socket + " to stop");
      });
    }
  }

  /**
   * {@code slipway builder serve [--root DIR] [--idle-timeout DURATION] [--shutdown-timeout
   * DURATION]}: serves builds in the foreground until SIGTERM or Ctrl-C (running builds get the
   * shutdown timeout to finish, then are cancelled; a second signal exits at once) or until idle
   * for the idle timeout.
   */
  @Command(
      name = "serve",
      mixinStandardHelpOptions = true,
      description = {
        "Serve `slipway build` for a state root from this process until Ctrl-C or SIGTERM.",
        "Builds on the root then run here: no JVM start, compiled code, warm caches. They run as"
            + " this process's user, with the client's working directory, environment and"
            + " terminal; only this user may connect."
      })
  public static final class Serve implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin RootOption root;

    @Option(names = "--idle-timeout", paramLabel = "DURATION",
        description = "Stop after this long without builds, e.g. 3h; 0s never stops"
            + " (default: ${DEFAULT-VALUE})")
    String idleTimeout = "0s";

    @Option(names = "--shutdown-timeout", paramLabel = "DURATION",
        description = "How long SIGTERM lets running builds finish before cancelling them"
            + " (default: ${DEFAULT-VALUE})")
    String shutdownTimeout = "30s";

    @Override
    public Integer call() throws IOException, InterruptedException {
      PrintWriter err = spec.commandLine().getErr();
      Duration idle;
      Duration drain;
      try {
        idle = DurationNotation.ofFlag("--idle-timeout", idleTimeout);
        drain = DurationNotation.ofFlag("--shutdown-timeout", shutdownTimeout);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
      // As a build does: library chatter (migrations, pools) only when it matters.
      if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
      }
      Path state = root.stateRoot();
      Files.createDirectories(state);
      Consumer<String> log = line -> {
        synchronized (err) {
          err.println(Instant.now().truncatedTo(ChronoUnit.MILLIS) + " slipway builder: " + line);
          err.flush();
        }
      };
      BuildServer server;
      try {
        server = BuildServer.start(socket(state), new ServedBuilds(state), idle, drain, log);
      } catch (IOException e) {
        err.println("error: " + e.getMessage());
        return 1;
      }
      var signals = ShutdownSignals.install(
          () -> {
            log.accept("signal received: stopping (running builds get "
                + drain.toSeconds() + " s; a second signal exits at once)");
            Thread.ofPlatform().name("slipway-builder-stop").start(server::close);
          },
          () -> log.accept("second signal: exiting now; the next start sweeps what running builds"
              + " leave"));
      log.accept("serving builds of " + state + " on " + server.socket()
          + (idle.isZero() ? "" : ", stopping after " + idleTimeout + " idle"));
      try {
        server.awaitClosed();
      } finally {
        signals.ifPresent(ShutdownSignals.Installed::close);
      }
      log.accept("stopped");
      return 0;
    }
  }
}
