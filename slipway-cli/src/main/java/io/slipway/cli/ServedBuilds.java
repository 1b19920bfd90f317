package io.slipway.cli;

import io.slipway.cli.buildserver.BuildServer;
import io.slipway.cli.buildserver.Session;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * Runs a client's {@code slipway build} in the build server, exactly as {@code slipway build}
 * would run it in the client: the same command with the client's arguments, its {@link
 * Invocation.Served invocation} (working directory, environment, terminal, cancellation) and its
 * streams. Declines, so the client builds itself, what this server cannot run as the client
 * would: a build of another root, {@code --builder local}, and {@code @FILE} arguments (read
 * relative to the client). Safe for concurrent use: each build gets command objects of its own.
 */
final class ServedBuilds implements BuildServer.Handler {
  private final Path root;

  /** Builds for the state directory {@code root}, absolute and normalized. */
  ServedBuilds(Path root) {
    this.root = root;
  }

  @Override
  public int run(Session session) throws BuildServer.Declined {
    List<String> arguments = new ArrayList<>();
    arguments.add("build");
    for (String argument : session.request().arguments()) {
      if (argument.startsWith("@")) {
        throw new BuildServer.Declined("argument files (" + argument + ") are read by the client");
      }
      arguments.add(argument);
    }
    String[] args = arguments.toArray(String[]::new);
    // One command line for the check and the run: building picocli's model of the build command
    // is most of what a command line costs, and execute parses afresh (options reset first).
    CommandLine commandLine = SlipwayCommand.newCommandLine(args);
    BuildCommand build = (BuildCommand) commandLine.getSubcommands().get("build").getCommand();
    build.invocation = new Invocation.Served(session, root);
    checkServes(commandLine, build, args);
    PrintWriter out = new PrintWriter(
        new OutputStreamWriter(session.stdout(), StandardCharsets.UTF_8), true);
    PrintWriter err = new PrintWriter(
        new OutputStreamWriter(session.stderr(), StandardCharsets.UTF_8), true);
    commandLine.setOut(out);
    commandLine.setErr(err);
    try {
      return commandLine.execute(args);
    } finally {
      out.flush();
      err.flush();
    }
  }

  /**
   * Declines a build this server does not serve: one of another root or one that asks to build
   * locally. Arguments that do not parse are left to the real run, which reports them as the
   * client would.
   */
  private void checkServes(CommandLine commandLine, BuildCommand build, String[] args)
      throws BuildServer.Declined {
    try {
      commandLine.parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      return;
    }
    if (build.builder == BuildCommand.BuilderChoice.LOCAL) {
      throw new BuildServer.Declined("--builder local asks for a build in the client");
    }
    Path wanted = build.stateRoot();
    if (!wanted.equals(root)) {
      throw new BuildServer.Declined("the build server serves " + root + ", not " + wanted);
    }
  }
}
