package io.slipway.cli;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The duration notation of Slipway's flags and configuration files: Go's, in whole hours,
 * minutes, seconds and milliseconds ({@code 168h}, {@code 1h30m}, {@code 90s}, {@code 500ms}).
 * Stateless.
 */
final class DurationNotation {
  private static final Pattern UNIT = Pattern.compile("(\\d+)(ms|h|m|s)");

  /** Ends the message of a value that is not a duration. */
  static final String EXAMPLES = "is not a duration such as 168h, 30m or 90s";

  private DurationNotation() {}

  /** The duration {@code text} writes, or empty when it is not one. */
  static Optional<Duration> parse(String text) {
    String stripped = text.strip();
    Matcher matcher = UNIT.matcher(stripped);
    Duration total = Duration.ZERO;
    int end = 0;
    while (matcher.find() && matcher.start() == end) {
      long value = Long.parseLong(matcher.group(1));
      total =
          total.plus(
              switch (matcher.group(2)) {
                case "h" -> Duration.ofHours(value);
                case "m" -> Duration.ofMinutes(value);
                case "s" -> Duration.ofSeconds(value);
                default -> Duration.ofMillis(value);
              });
      end = matcher.end();
    }
    return end == 0 || end != stripped.length() ? Optional.empty() : Optional.of(total);
  }

  /**
   * The value of the command-line flag {@code flag}.
   *
   * @throws IllegalArgumentException naming the flag and the value, when it is not a duration
   */
  static Duration ofFlag(String flag, String text) {
    return parse(text).orElseThrow(() ->
        new IllegalArgumentException(flag + ": \"" + text + "\" " + EXAMPLES));
  }
}
