package io.slipway.build.run;

import java.util.List;
import java.util.OptionalInt;

/**
 * A RUN process that exited non-zero, was killed by a signal, or ran past its time limit. Carries
 * the exit code (absent on a timeout) and the last lines of its output, which the message quotes.
 * Immutable.
 */
public final class RunFailedException extends RunException {

  private static final long serialVersionUID = 1L;

  private final transient OptionalInt exitCode;
  private final transient List<String> lastLines;

  RunFailedException(StepOrigin origin, OptionalInt exitCode, String what, List<String> lastLines) {
    super(origin, what + tail(lastLines), null);
    this.exitCode = exitCode;
    this.lastLines = List.copyOf(lastLines);
  }

  /** The process's exit code; 128 + N for a process ended by signal N; absent on a timeout. */
  public OptionalInt exitCode() {
    return exitCode;
  }

  /** The last lines of standard output and error, oldest first. */
  public List<String> lastLines() {
    return lastLines;
  }

  private static String tail(List<String> lines) {
    if (lines.isEmpty()) {
      return " (no output)";
    }
    StringBuilder text = new StringBuilder("; last output lines:");
    for (String line : lines) {
      text.append("\n  ").append(line);
    }
    return text.toString();
  }
}
