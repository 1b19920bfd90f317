package io.slipway.cli;

import io.slipway.cli.buildserver.Session;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where one run of a command comes from: the environment, working directory, standard input and
 * terminal of the process that asked for it, and how that process cancels it. A command reads
 * these only through its invocation, so that it behaves the same run in this process ({@link
 * Local}) or by the build server for a client ({@link Served}). Implementations are immutable
 * apart from the streams they hand out; safe for concurrent use.
 */
sealed interface Invocation {

  /** The environment variables of the asking process. */
  CliEnvironment environment();

  /** The asking process's working directory, absolute; relative paths resolve against it. */
  Path workingDirectory();

  /** The asking process's standard input. */
  InputStream stdin();

  /** Whether the asking process's standard error is an interactive terminal. */
  boolean stderrIsTerminal();

  /** The width of the asking process's terminal in columns. */
  int terminalWidth();

  /**
   * Arranges for {@code cancel} to run when the asking process is told to stop (its first SIGINT
   * or SIGTERM, or the client going away), and {@code exitNow} before this process exits at once
   * on a second signal where that applies. Closing the result withdraws both; empty when this
   * platform cannot deliver signals.
   */
  Optional<AutoCloseable> onCancel(Runnable cancel, Runnable exitNow);

  /**
   * {@code path} as the asking process would open it: a relative one resolved against the working
   * directory, an absolute one as it is. Not normalized: the operating system resolves {@code ..}
   * after following symbolic links, so {@code link/../Dockerfile} names the Dockerfile beside the
   * link's target, where a textual normalize would pick the one in the working directory.
   */
  default Path resolve(Path path) {
    return workingDirectory().resolve(path);
  }

  /** {@code path} resolved as {@link #resolve(Path)} does. */
  default Path resolve(String path) {
    return resolve(Path.of(path));
  }

  /** This process, as started from a shell. */
  static Invocation local() {
    return new Local(CliEnvironment.current(), Path.of("").toAbsolutePath());
  }

  /**
   * The command runs in the process that was asked for it.
   *
   * @param workingDirectory this process's working directory, absolute (a JVM cannot change its
   *     own, so it is read once)
   */
  record Local(CliEnvironment environment, Path workingDirectory) implements Invocation {
    public Local {
      if (!workingDirectory.isAbsolute()) {
        throw new IllegalArgumentException("working directory must be absolute: "
            + workingDirectory);
      }
    }

    @Override
    public InputStream stdin() {
      return System.in;
    }

    @Override
    public boolean stderrIsTerminal() {
      return Terminals.stderrIsTerminal();
    }

    @Override
    public int terminalWidth() {
      return Terminals.width(environment.variables());
    }

    @Override
    public Optional<AutoCloseable> onCancel(Runnable cancel, Runnable exitNow) {
      return ShutdownSignals.install(cancel, exitNow).map(installed -> installed::close);
    }
  }

  /**
   * The build server runs the command for a client: everything comes from the client's request,
   * and cancellation from the client (whose own second signal makes it exit; the server goes on
   * cancelling).
   *
   * @param root the state directory the server serves
   */
  record Served(Session session, Path root) implements Invocation {
    @Override
    public CliEnvironment environment() {
      return new CliEnvironment(session.request().environment());
    }

    @Override
    public Path workingDirectory() {
      return session.request().workingDirectory();
    }

    @Override
    public InputStream stdin() {
      return session.stdin();
    }

    @Override
    public boolean stderrIsTerminal() {
      return session.request().stderrIsTerminal();
    }

    @Override
    public int terminalWidth() {
      int width = session.request().terminalWidth();
      return width > 0 ? width : Terminals.DEFAULT_WIDTH;
    }

    @Override
    public Optional<AutoCloseable> onCancel(Runnable cancel, Runnable exitNow) {
      return Optional.of(session.onCancel(cancel));
    }
  }
}
