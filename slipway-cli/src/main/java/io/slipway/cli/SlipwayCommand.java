package io.slipway.cli;

import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The top-level {@code slipway} command and the list of its subcommands. Confined to the main
 * thread.
 *
 * <p>Subcommands are listed in {@link #COMMANDS}, not in {@code @Command(subcommands = …)}:
 * picocli builds the full model of every annotated subcommand up front (about 1,500 classes of
 * reflection and method handles), which dominated the start-up of every command. {@link
 * #newCommandLine(String...)} builds in full only the subcommand the arguments choose; the others
 * stand in as {@link CommandOutline}s, which carry what the command listing and the
 * unknown-command error print.
 */
@Command(
    name = "slipway",
    mixinStandardHelpOptions = true,
    versionProvider = SlipwayVersion.class,
    description = "Builds container images from Dockerfiles and ships them.",
    subcommands = CommandLine.HelpCommand.class)
public final class SlipwayCommand implements Runnable {

  /**
   * Every subcommand after {@code help}, in the order {@code slipway --help} lists them. Adding a
   * command is one line here; the class needs a {@code @Command} annotation with its name.
   */
  static final List<Class<?>> COMMANDS =
      List.of(
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
          PruneCommand.class);

  /** The picocli switch that skips its search for Groovy closures (see {@link #build}). */
  static final String NO_GROOVY_CLOSURES = "picocli.disable.closures";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    // A bare `slipway` prints usage, as git and docker do, and exits 2 like any other usage error.
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
  }

  /** A command line with every subcommand built in full, for callers that run several commands. */
  public static CommandLine newCommandLine() {
    return build(CommandChoice.ALL);
  }

  /**
   * A command line that runs {@code args}: the subcommands they name are built in full, the others
   * only outlined. It behaves as {@link #newCommandLine()} for these arguments.
   */
  public static CommandLine newCommandLine(String... args) {
    return build(CommandChoice.of(args));
  }

  private static CommandLine build(CommandChoice choice) {
    // picocli's DefaultFactory looks for groovy.lang.Closure when it is initialized, unless told
    // not to. Slipway has no Groovy, so the lookup always fails, and failing means opening every
    // one of the 46 jars on the Class-Path and reading its central directory: the largest single
    // cost of starting any command. Set before the first CommandLine is made.
    if (System.getProperty(NO_GROOVY_CLOSURES) == null) {
      System.setProperty(NO_GROOVY_CLOSURES, "true");
    }
    CommandLine commandLine = new CommandLine(new SlipwayCommand());
    for (Class<?> command : COMMANDS) {
      CommandOutline outline = CommandOutline.of(command);
      if (choice.includes(outline.name())) {
        commandLine.addSubcommand(outline.name(), command);
      } else {
        commandLine.addSubcommand(outline.name(), outline.toCommandLine());
      }
    }
    // Set after the subcommands are added: picocli copies these settings to the ones present.
    commandLine.setCaseInsensitiveEnumValuesAllowed(true);
    // Errors a user can act on print as one line naming what failed; no stack trace.
    commandLine.setExecutionExceptionHandler((exception, failed, parseResult) -> {
      failed.getErr().println("slipway " + failed.getCommandName() + ": " + exception.getMessage());
      return exception instanceof InterruptedException ? 130 : 1;
    });
    return commandLine;
  }

  /** Which subcommands a command line must build in full for its arguments. Immutable. */
  record CommandChoice(boolean all, Set<String> names) {
    static final CommandChoice ALL = new CommandChoice(true, Set.of());

    CommandChoice {
      names = Set.copyOf(names);
    }

    /**
     * The subcommand named by the first argument that is not an option (the top level has only
     * flags, none taking a value), and for {@code help X} also X. An {@code @file} argument
     * expands to arguments not seen here, so it builds everything.
     */
    static CommandChoice of(String... args) {
      List<String> words = java.util.Arrays.stream(args).filter(a -> !a.startsWith("-")).toList();
      if (words.isEmpty()) {
        return new CommandChoice(false, Set.of());
      }
      if (java.util.Arrays.stream(args).anyMatch(a -> a.startsWith("@"))) {
        return ALL;
      }
      String first = words.getFirst();
      if (first.equals("help") && words.size() > 1) {
        return new CommandChoice(false, Set.of(first, words.get(1)));
      }
      return new CommandChoice(false, Set.of(first));
    }

    boolean includes(String name) {
      return all || names.contains(name);
    }
  }
}
