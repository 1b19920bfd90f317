package io.slipway.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What the {@code slipway} command listing shows of a subcommand, read from its {@code @Command}
 * annotation without building its options: name, aliases, header, description, hidden. It stands
 * in for subcommands a run does not choose, so that {@code slipway --help} and the unknown-command
 * error print as they would with the full model. Immutable.
 */
record CommandOutline(String name, List<String> aliases, List<String> header,
    List<String> description, boolean hidden) {

  CommandOutline {
    aliases = List.copyOf(aliases);
    header = List.copyOf(header);
    description = List.copyOf(description);
  }

  /** The outline of {@code command}; fails naming the class when it is not a picocli command. */
  static CommandOutline of(Class<?> command) {
    Command annotation = command.getAnnotation(Command.class);
    if (annotation == null || annotation.name().equals(CommandSpec.DEFAULT_COMMAND_NAME)) {
      throw new IllegalArgumentException(
          command.getName() + " is listed as a slipway command but has no @Command(name = …)");
    }
    return new CommandOutline(annotation.name(), List.of(annotation.aliases()),
        List.of(annotation.header()), List.of(annotation.description()), annotation.hidden());
  }

  /** A command line that lists like the real command but has no options or parameters. */
  CommandLine toCommandLine() {
    CommandSpec spec = CommandSpec.create().name(name).aliases(aliases.toArray(String[]::new));
    spec.usageMessage().header(header.toArray(String[]::new))
        .description(description.toArray(String[]::new)).hidden(hidden);
    return new CommandLine(spec);
  }
}
