package io.slipway.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The top-level {@code slipway} command. Subcommands are registered here; each is a class of its
 * own in this package. Confined to the main thread.
 */
@Command(
    name = "slipway",
    mixinStandardHelpOptions = true,
    versionProvider = SlipwayVersion.class,
    description = "Builds container images from Dockerfiles and ships them.",
    subcommands = {
      CommandLine.HelpCommand.class,
      BuildCommand.class,
      CopyCommand.class,
      PullCommand.class,
      PushCommand.class,
      InspectCommand.class,
      TagsCommand.class,
      DigestCommand.class,
      LoginCommand.class,
      LogoutCommand.class,
      DiffCommand.class,
      HistoryCommand.class,
      ServeCommand.class,
      RegistryCommand.class,
      FsckCommand.class,
      DuCommand.class,
      PruneCommand.class
    })
public final class SlipwayCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    // A bare `slipway` prints usage, as git and docker do, and exits 2 like any other usage error.
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
  }

  /** A command line with Slipway's conventions: exit codes and error messages. */
  public static CommandLine newCommandLine() {
    CommandLine commandLine = new CommandLine(new SlipwayCommand());
    commandLine.setCaseInsensitiveEnumValuesAllowed(true);
    // Errors a user can act on print as one line naming what failed; no stack trace.
    commandLine.setExecutionExceptionHandler((exception, failed, parseResult) -> {
      failed.getErr().println("slipway " + failed.getCommandName() + ": " + exception.getMessage());
      return exception instanceof InterruptedException ? 130 : 1;
    });
    return commandLine;
  }
}
