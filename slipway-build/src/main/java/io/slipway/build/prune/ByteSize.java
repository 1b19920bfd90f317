package io.slipway.build.prune;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes as users write them in prune policies ({@code 512MB}, {@code 10GB}, {@code 1.5GiB},
 * {@code 1000000}) and as {@code slipway du} prints them. Every suffix is a power of 1024, as
 * docker reads {@code --max-used-space}: {@code KB}, {@code K} and {@code KiB} all mean 1024 bytes.
 * Stateless and thread-safe.
 */
public final class ByteSize {

  private static final Pattern SIZE =
      Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*([kmgtp]?)(i?b?)", Pattern.CASE_INSENSITIVE);
  private static final String UNITS = "KMGTP";

  private ByteSize() {}

  /** The number of bytes {@code text} denotes, or a clear error quoting it. */
  public static long parse(String text) {
    Matcher m = SIZE.matcher(text.strip());
    if (!m.matches() || m.group(3).equalsIgnoreCase("i")
        || (m.group(2).isEmpty() && m.group(3).toLowerCase(Locale.ROOT).startsWith("i"))) {
      throw new IllegalArgumentException("invalid size \"" + text + "\": use bytes or a number"
          + " with KB, MB, GB or TB (powers of 1024), e.g. 512MB or 10GB");
    }
    double number = Double.parseDouble(m.group(1));
    String unit = m.group(2).toUpperCase(Locale.ROOT);
    int power = unit.isEmpty() ? 0 : UNITS.indexOf(unit) + 1;
    double bytes = number * Math.pow(1024, power);
    if (bytes >= Long.MAX_VALUE) {
      throw new IllegalArgumentException("size \"" + text + "\" is too large");
    }
    return (long) Math.floor(bytes);
  }

  /** {@code bytes} for people: {@code 0 B}, {@code 512 B}, {@code 12.4 MiB}. */
  public static String format(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    double value = bytes;
    int power = 0;
    while (value >= 1024 && power < UNITS.length()) {
      value /= 1024;
      power++;
    }
    return String.format(Locale.ROOT, value >= 100 ? "%.0f %siB" : "%.1f %siB", value,
        UNITS.charAt(power - 1));
  }
}
