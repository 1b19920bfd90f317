package io.slipway.cli;

import java.util.Locale;
import java.util.Map;

/**
 * {@code --progress}: {@code auto} (the live display when standard error is a terminal that can
 * move its cursor, plain lines otherwise), {@code tty} (the live display, forced) or {@code plain}.
 */
enum ProgressMode {
  AUTO,
  TTY,
  PLAIN;

  /** The mode a flag names; an unknown name is an {@link IllegalArgumentException} naming it. */
  static ProgressMode parse(String flag) {
    return switch (flag.strip().toLowerCase(Locale.ROOT)) {
      case "auto" -> AUTO;
      case "tty" -> TTY;
      case "plain" -> PLAIN;
      default -> throw new IllegalArgumentException(
          "invalid --progress \"" + flag + "\": use auto, plain or tty");
    };
  }

  /**
   * Whether the live display is used, given whether standard error is a terminal and the
   * environment ({@code TERM=dumb} or no {@code TERM} means a terminal that cannot redraw).
   */
  boolean live(boolean stderrIsTerminal, Map<String, String> environment) {
    return switch (this) {
      case TTY -> true;
      case PLAIN -> false;
      case AUTO -> stderrIsTerminal && Terminals.canMoveCursor(environment);
    };
  }
}
