package io.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command line {@code Main} runs builds only the chosen subcommand in full; these tests hold
 * it to behaving exactly as the command line with every subcommand built: same output, same
 * errors, same exit code.
 */
class SlipwayCommandTest {

  record Run(int exitCode, String out, String err) {}

  private static Run run(CommandLine commandLine, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    commandLine.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
    int exitCode = commandLine.execute(args);
    return new Run(exitCode, out.toString(), err.toString());
  }

  static Stream<List<String>> argumentLists() {
    List<List<String>> lists = new ArrayList<>(List.of(
        List.of(),
        List.of("--help"), List.of("-h"), List.of("--version"), List.of("-V"), List.of("-hV"),
        List.of("help"), List.of("help", "nosuch"), List.of("help", "registry", "serve"),
        List.of("help", "-h"),
        List.of("nosuch"), List.of("copi"), List.of("--nosuch"), List.of("-x", "copy"),
        List.of("--", "copy"), List.of("-V", "copy"),
        List.of("copy"), List.of("copy", "only-source"), List.of("digest", "--nosuch"),
        List.of("registry"), List.of("registry", "nosuch"), List.of("registry", "serve", "--help"),
        List.of("registry", "user", "--help"), List.of("registry", "gc", "--help")));
    for (Class<?> command : SlipwayCommand.COMMANDS) {
      String name = CommandOutline.of(command).name();
      lists.add(List.of(name, "--help"));
      lists.add(List.of("help", name));
      lists.add(List.of(name, "--no-such-option"));
    }
    return lists.stream();
  }

  @ParameterizedTest
  @MethodSource("argumentLists")
  void behavesAsTheFullModel(List<String> arguments) {
    String[] args = arguments.toArray(String[]::new);

    Run lazy = run(SlipwayCommand.newCommandLine(args), args);
    Run full = run(SlipwayCommand.newCommandLine(), args);

    assertThat(lazy).as("slipway %s", String.join(" ", arguments)).isEqualTo(full);
  }

  @Test
  void listsEveryCommandInHelp() {
    Run help = run(SlipwayCommand.newCommandLine("--help"), "--help");

    assertThat(help.exitCode()).isZero();
    for (Class<?> command : SlipwayCommand.COMMANDS) {
      assertThat(help.out()).contains("\n  " + CommandOutline.of(command).name() + " ");
    }
  }

  @Test
  void buildsOnlyTheChosenCommandInFull() {
    CommandLine commandLine = SlipwayCommand.newCommandLine("copy", "a", "b");

    assertThat(commandLine.getSubcommands().get("copy").getCommandSpec().options()).isNotEmpty();
    assertThat(commandLine.getSubcommands().get("build").getCommandSpec().options()).isEmpty();
    assertThat(commandLine.getSubcommands().get("build").getCommandSpec().userObject()).isNull();
  }

  @Test
  void buildsTheCommandThatHelpIsAskedAbout() {
    CommandLine commandLine = SlipwayCommand.newCommandLine("help", "build");

    assertThat(commandLine.getSubcommands().get("build").getCommandSpec().options()).isNotEmpty();
    assertThat(commandLine.getSubcommands().get("copy").getCommandSpec().options()).isEmpty();
  }

  @Test
  void buildsEverythingForAnArgumentFile() {
    CommandLine commandLine = SlipwayCommand.newCommandLine("@args.txt");

    for (CommandLine sub : commandLine.getSubcommands().values()) {
      assertThat(sub.getCommandSpec().userObject()).as(sub.getCommandName()).isNotNull();
    }
  }

  @Test
  void namesEachCommandOnce() {
    Set<String> names = new HashSet<>();
    for (Class<?> command : SlipwayCommand.COMMANDS) {
      assertThat(names.add(CommandOutline.of(command).name())).as(command.getName()).isTrue();
    }
  }

  @Command(description = "has no name")
  static final class Nameless {}

  @Test
  void refusesAListedClassWithoutACommandName() {
    assertThatThrownBy(() -> CommandOutline.of(Nameless.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(Nameless.class.getName())
        .hasMessageContaining("@Command(name");
    assertThatThrownBy(() -> CommandOutline.of(String.class))
        .hasMessageContaining("java.lang.String");
  }
}
