package io.slipway.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What the {@code slipway} command listing shows of a command, as its {@code @Command} annotation
 * declares it: name, aliases, header, description, hidden. It stands in for subcommands a run does
 * not choose, so that {@code slipway --help} and the unknown-command error print as they would with
 * the full model. Immutable.
 *
 * <p>Read from the index that slipway-tools' {@code CommandIndexProcessor} writes from the
 * annotations at compile time, not from the annotations themselves: reading an annotation at run
 * time makes a dynamic proxy class per annotation type, which no class archive holds, and those
 * were most of what start-up still spent.
 */
record CommandOutline(String name, List<String> aliases, List<String> header,
    List<String> description, boolean hidden) {

  /** The index's class-path location; CommandIndexProcessor.RESOURCE in slipway-tools. */
  static final String INDEX = "/META-INF/slipway/commands.properties";

  CommandOutline {
    aliases = List.copyOf(aliases);
    header = List.copyOf(header);
    description = List.copyOf(description);
  }

  /** The outline of {@code command}; fails naming the class when it is not a picocli command. */
  static CommandOutline of(Class<?> command) {
    Properties index = Index.PROPERTIES;
    String key = command.getName();
    String name = index.getProperty(key + ".name");
    if (name == null || name.equals(CommandSpec.DEFAULT_COMMAND_NAME)) {
      throw new IllegalArgumentException(command.getName()
          + " is listed as a slipway command but has no @Command(name = …) in " + INDEX);
    }
    return new CommandOutline(name, list(index, key + ".aliases"), list(index, key + ".header"),
        list(index, key + ".description"),
        Boolean.parseBoolean(index.getProperty(key + ".hidden")));
  }

  private static List<String> list(Properties index, String prefix) {
    List<String> values = new ArrayList<>();
    for (String value; (value = index.getProperty(prefix + "." + values.size())) != null; ) {
      values.add(value);
    }
    return values;
  }

  /** A command line that lists like the real command but has no options or parameters. */
  CommandLine toCommandLine() {
    return new CommandLine(toSpec(CommandSpec.create()));
  }

  /** {@code spec} given this outline's name, aliases and usage texts. */
  CommandSpec toSpec(CommandSpec spec) {
    spec.name(name).aliases(aliases.toArray(String[]::new));
    spec.usageMessage().header(header.toArray(String[]::new))
        .description(description.toArray(String[]::new)).hidden(hidden);
    return spec;
  }

  /** The index, read once on first use; the holder idiom makes that thread-safe. */
  private static final class Index {
    static final Properties PROPERTIES = load();

    private static Properties load() {
      Properties properties = new Properties();
      try (InputStream in = CommandOutline.class.getResourceAsStream(INDEX)) {
        if (in == null) {
          throw new IllegalStateException(INDEX + " is missing from the class path: the build"
              + " runs slipway-tools' CommandIndexProcessor on slipway-cli's main sources");
        }
        properties.load(in);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + INDEX, e);
      }
      return properties;
    }
  }
}
