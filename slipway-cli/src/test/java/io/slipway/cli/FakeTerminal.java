package io.slipway.cli;

import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

/**
 * A terminal screen of fixed width for display tests: it applies what a real terminal does with
 * the sequences the progress display writes (carriage return, newline, cursor up, erase line,
 * erase below, cursor hide/show) and fails on anything else, on a line that would wrap, or on the
 * cursor leaving the screen. Not thread-safe: the display writes from one thread at a time.
 */
final class FakeTerminal extends Writer {

  private final int width;
  private final List<StringBuilder> rows = new ArrayList<>();
  private final StringBuilder pending = new StringBuilder();
  private int row;
  private int column;

  FakeTerminal(int width) {
    this.width = width;
    rows.add(new StringBuilder());
  }

  private volatile AssertionError failure;

  @Override
  public void write(char[] buffer, int offset, int length) {
    pending.append(buffer, offset, length);
    try {
      apply();
    } catch (AssertionError e) {
      // Kept: a drawing thread's failure would otherwise die with that thread.
      if (failure == null) {
        failure = e;
      }
      throw e;
    }
  }

  /** The first bad output the display wrote, if any. */
  AssertionError failure() {
    return failure;
  }

  /** The screen's lines, trailing blanks trimmed, without trailing empty lines. */
  List<String> screen() {
    List<String> lines = new ArrayList<>();
    for (StringBuilder line : rows) {
      lines.add(line.toString().stripTrailing());
    }
    while (!lines.isEmpty() && lines.getLast().isEmpty()) {
      lines.removeLast();
    }
    return lines;
  }

  private void apply() {
    int i = 0;
    while (i < pending.length()) {
      char c = pending.charAt(i);
      if (c == '\u001b') {
        int end = i + 1;
        if (end >= pending.length()) {
          break;
        }
        if (pending.charAt(end) != '[') {
          throw new AssertionError("unexpected escape at " + i + ": " + pending);
        }
        end++;
        while (end < pending.length() && !Character.isLetter(pending.charAt(end))) {
          end++;
        }
        if (end >= pending.length()) {
          break;
        }
        control(pending.substring(i + 2, end), pending.charAt(end));
        i = end + 1;
      } else {
        character(c);
        i++;
      }
    }
    pending.delete(0, i);
  }

  private void control(String parameter, char command) {
    switch (command) {
      case 'A' -> {
        row -= parameter.isEmpty() ? 1 : Integer.parseInt(parameter);
        if (row < 0) {
          throw new AssertionError("cursor moved above the screen");
        }
      }
      case 'K' -> current().setLength(Math.min(column, current().length()));
      case 'J' -> {
        current().setLength(Math.min(column, current().length()));
        while (rows.size() > row + 1) {
          rows.removeLast();
        }
      }
      case 'l', 'h' -> {
        if (!parameter.equals("?25")) {
          throw new AssertionError("unexpected mode " + parameter + command);
        }
      }
      default -> throw new AssertionError("unexpected control " + parameter + command);
    }
  }

  private void character(char c) {
    switch (c) {
      case '\r' -> column = 0;
      case '\n' -> {
        row++;
        column = 0;
        while (rows.size() <= row) {
          rows.add(new StringBuilder());
        }
      }
      default -> {
        if (Character.isISOControl(c)) {
          throw new AssertionError("control character " + (int) c + " written");
        }
        if (column >= width - 1) {
          // The display keeps the last column free; reaching it would wrap on some terminals.
          throw new AssertionError("line too long for " + width + " columns: " + current() + c);
        }
        StringBuilder line = current();
        while (line.length() < column) {
          line.append(' ');
        }
        if (column < line.length()) {
          line.setCharAt(column, c);
        } else {
          line.append(c);
        }
        column++;
      }
    }
  }

  private StringBuilder current() {
    return rows.get(row);
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}
}
