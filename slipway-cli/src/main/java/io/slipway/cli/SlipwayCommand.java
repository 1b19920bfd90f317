package io.slipway.cli;

import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The top-level {@code slipway} command and the list of its subcommands. Confined to the main
 * thread.
 *
 * <p>Subcommands are listed in {@link #COMMANDS}, not in {@code @Command(subcommands = …)}:
 * picocli builds the full model of every annotated subcommand up front (about 1,500 classes of
 * reflection and method handles), which dominated the start-up of every command. {@link
 * #newCommandLine(String...)} builds in full only the subcommand the arguments choose; the others
 * stand in as {@link CommandOutline}s, which carry what the command listing and the
 * unknown-command error print. It builds this top-level command without reading its annotations
 * too (see {@code rootSpec}), so that {@code slipway --version} reads no annotation at all; the
 * annotations stay the declaration that {@link #newCommandLine()} builds from and that the
 * compile-time command index is made of.
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
          BuilderCommand.class,
          RegistryCommand.class,
          FsckCommand.class,
          DuCommand.class,
          PruneCommand.class);

  /** The picocli switch that skips its search for Groovy closures (see {@link #build}). */
  static final String NO_GROOVY_CLOSURES = "picocli.disable.closures";

  @CommandLine.Spec CommandSpec spec;

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
    CommandLine commandLine;
    if (choice.all()) {
      commandLine = new CommandLine(new SlipwayCommand());
    } else {
      commandLine = new CommandLine(rootSpec());
      addSubcommand(commandLine, CommandLine.HelpCommand.class, choice);
    }
    for (Class<?> command : COMMANDS) {
      addSubcommand(commandLine, command, choice);
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

  /**
   * The top-level command as {@code new CommandLine(new SlipwayCommand())} would build it from the
   * annotations, built without reading them: picocli would read every annotation of this class,
   * of its standard help options' mixin and of {@code Object}'s methods, and each annotation type
   * read costs a dynamic proxy class at run time. Name and description come from the compile-time
   * index ({@link CommandOutline}); SlipwayCommandTest holds the two to the same behaviour.
   */
  private static CommandSpec rootSpec() {
    SlipwayCommand root = new SlipwayCommand();
    CommandSpec spec = CommandOutline.of(SlipwayCommand.class)
        .toSpec(CommandSpec.wrapWithoutInspection(root))
        .versionProvider(new SlipwayVersion());
    // The two options of mixinStandardHelpOptions, with picocli's own descriptions.
    spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
        .description("Show this help message and exit.").build());
    spec.addOption(OptionSpec.builder("-V", "--version").versionHelp(true)
        .description("Print version information and exit.").build());
    root.spec = spec;
    return spec;
  }

  private static void addSubcommand(CommandLine commandLine, Class<?> command,
      CommandChoice choice) {
    CommandOutline outline = CommandOutline.of(command);
    if (choice.includes(outline.name())) {
      commandLine.addSubcommand(outline.name(), command);
    } else {
      commandLine.addSubcommand(outline.name(), outline.toCommandLine());
    }
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
