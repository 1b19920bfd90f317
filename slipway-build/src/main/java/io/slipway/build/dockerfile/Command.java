package io.slipway.build.dockerfile;

import java.util.List;

/**
 * The command of RUN, CMD, ENTRYPOINT or HEALTHCHECK CMD: either exec form (a JSON array, run as
 * is) or shell form (one string, run through the stage's SHELL). In shell form {@code arguments}
 * holds exactly one element, the command text. Immutable.
 */
public record Command(List<String> arguments, boolean execForm) {

  public Command {
    arguments = List.copyOf(arguments);
    if (!execForm && arguments.size() != 1) {
      throw new IllegalArgumentException("a shell-form command is one string");
    }
  }

  /** A shell-form command. */
  public static Command shell(String text) {
    return new Command(List.of(text), false);
  }

  /** An exec-form command. */
  public static Command exec(List<String> arguments) {
    return new Command(arguments, true);
  }

  /** The shell-form text; only meaningful when {@link #execForm()} is false. */
  public String shellText() {
    return arguments.getFirst();
  }
}
