package io.slipway.build.dockerfile;

import java.util.Arrays;

/**
 * One instruction's text with its continuation lines joined, and a map from each character back to
 * the line and column it came from, so that errors deep in a continued line point at the right
 * spot. Confined to the parser that builds it.
 */
final class LogicalLine {

  private final StringBuilder text = new StringBuilder();
  private int[] starts = new int[4];
  private int[] lines = new int[4];
  private int[] columns = new int[4];
  private int segments;

  /** Appends {@code piece}, whose first character is at {@code line}:{@code column}. */
  void append(String piece, int line, int column) {
    if (segments == starts.length) {
      starts = Arrays.copyOf(starts, segments * 2);
      lines = Arrays.copyOf(lines, segments * 2);
      columns = Arrays.copyOf(columns, segments * 2);
    }
    starts[segments] = text.length();
    lines[segments] = line;
    columns[segments] = column;
    segments++;
    text.append(piece);
  }

  String text() {
    return text.toString();
  }

  /** Where the character at {@code offset} of the joined text was written. */
  Location locate(int offset) {
    int segment = 0;
    for (int i = 0; i < segments; i++) {
      if (starts[i] <= offset) {
        segment = i;
      } else {
        break;
      }
    }
    if (segments == 0) {
      return Location.lineStart(1);
    }
    return new Location(lines[segment], columns[segment] + offset - starts[segment]);
  }
}
