package io.slipway.cli;

import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the CLI needs to know about the terminal its progress goes to: whether standard error is
 * one, whether it can take cursor movement, and how wide it is. Stateless; safe for concurrent use.
 */
final class Terminals {

  /** The width assumed when the terminal does not say. */
  static final int DEFAULT_WIDTH = 80;

  private Terminals() {}

  /** Whether standard error (and so standard input and output too) is an interactive terminal. */
  static boolean stderrIsTerminal() {
    Console console = System.console();
    if (console == null) {
      // Before JDK 22 the console exists only when both standard input and output are terminals.
      return false;
    }
    // From JDK 22 a console exists even when output is redirected; Console.isTerminal (22+)
    // tells the two apart. Slipway compiles for 21, so ask for it reflectively.
    try {
      return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }

  /** Whether {@code TERM} names a terminal that understands cursor movement. */
  static boolean canMoveCursor(Map<String, String> environment) {
    String term = environment.getOrDefault("TERM", "");
    return !term.isEmpty() && !term.equals("dumb");
  }

  /**
   * The terminal's width in columns: {@code $COLUMNS} when set, else what {@code stty} reports for
   * the controlling terminal, else {@value #DEFAULT_WIDTH}.
   */
  static int width(Map<String, String> environment) {
    String columns = environment.get("COLUMNS");
    if (columns != null) {
      try {
        int value = Integer.parseInt(columns.strip());
        if (value > 0) {
          return value;
        }
      } catch (NumberFormatException e) {
        // Fall through to asking the terminal.
      }
    }
    try {
      // Java has no ioctl(TIOCGWINSZ); stty asks it for us, reading the terminal itself.
      Process stty = new ProcessBuilder("stty", "size")
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/tty")))
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
      if (!stty.waitFor(2, TimeUnit.SECONDS)) {
        stty.destroyForcibly();
        return DEFAULT_WIDTH;
      }
      String[] size = new String(stty.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)
          .strip().split("\\s+");
      if (stty.exitValue() == 0 && size.length == 2) {
        int value = Integer.parseInt(size[1]);
        return value > 0 ? value : DEFAULT_WIDTH;
      }
    } catch (IOException | NumberFormatException e) {
      // No terminal to ask, or no stty: the default will do.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return DEFAULT_WIDTH;
  }
}
