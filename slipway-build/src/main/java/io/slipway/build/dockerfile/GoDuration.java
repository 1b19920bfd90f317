package io.slipway.build.dockerfile;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;

/**
 * Parses durations written as Go writes them ({@code 30s}, {@code 1m30s}, {@code 1.5h},
 * {@code 500ms}, {@code 10us}), the syntax HEALTHCHECK options use. Stateless and thread-safe.
 */
public final class GoDuration {

  private GoDuration() {}

  /** The duration {@code text} denotes, or empty when it is not a Go duration. */
  public static Optional<Duration> parse(String text) {
    if (text.isEmpty()) {
      return Optional.empty();
    }
    int i = 0;
    boolean negative = false;
    if (text.charAt(0) == '-' || text.charAt(0) == '+') {
      negative = text.charAt(0) == '-';
      i++;
    }
    if (text.substring(i).equals("0")) {
      return Optional.of(Duration.ZERO);
    }
    if (i == text.length()) {
      return Optional.empty();
    }
    BigDecimal nanos = BigDecimal.ZERO;
    while (i < text.length()) {
      int start = i;
      while (i < text.length() && (Character.isDigit(text.charAt(i)) || text.charAt(i) == '.')) {
        i++;
      }
      String number = text.substring(start, i);
      if (number.isEmpty() || number.equals(".") || number.indexOf('.') != number.lastIndexOf('.')) {
        return Optional.empty();
      }
      int unitStart = i;
      while (i < text.length() && !Character.isDigit(text.charAt(i)) && text.charAt(i) != '.') {
        i++;
      }
      long scale =
          switch (text.substring(unitStart, i)) {
            case "ns" -> 1L;
            case "us", "µs", "μs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            default -> -1L;
          };
      if (scale < 0) {
        return Optional.empty();
      }
      String digits = number.startsWith(".") ? "0" + number : number;
      nanos = nanos.add(new BigDecimal(digits).multiply(BigDecimal.valueOf(scale)));
    }
    long total = nanos.longValue();
    return Optional.of(Duration.ofNanos(negative ? -total : total));
  }

  /** Formats {@code duration} the way Go prints it, such as {@code 1m30s}; zero is {@code 0s}. */
  public static String format(Duration duration) {
    if (duration.isZero()) {
      return "0s";
    }
    long nanos = duration.toNanos();
    StringBuilder out = new StringBuilder();
    if (nanos < 0) {
      out.append('-');
      nanos = -nanos;
    }
    if (nanos < 1_000_000_000L) {
      if (nanos % 1_000_000L == 0) {
        return out.append(nanos / 1_000_000L).append("ms").toString();
      }
      if (nanos % 1_000L == 0) {
        return out.append(nanos / 1_000L).append("µs").toString();
      }
      return out.append(nanos).append("ns").toString();
    }
    long hours = nanos / 3_600_000_000_000L;
    long minutes = nanos / 60_000_000_000L % 60;
    BigDecimal seconds =
        BigDecimal.valueOf(nanos % 60_000_000_000L).movePointLeft(9).stripTrailingZeros();
    if (hours > 0) {
      out.append(hours).append('h');
    }
    if (hours > 0 || minutes > 0) {
      out.append(minutes).append('m');
    }
    return out.append(seconds.toPlainString()).append('s').toString();
  }
}
