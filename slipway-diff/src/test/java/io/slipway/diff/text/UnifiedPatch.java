package io.slipway.diff.text;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict unified-diff applier for tests: every context and removed line must match exactly and
 * every hunk header must agree with where the hunk lands, or it throws. Lets property tests check
 * thousands of patches without starting GNU patch for each. Stateless.
 */
final class UnifiedPatch {
  private static final Pattern HUNK = Pattern.compile("@@ -(\\d+)(?:,(\\d+))? \\+(\\d+)(?:,(\\d+))? @@\n");

  private UnifiedPatch() {}

  static byte[] apply(byte[] original, byte[] patch) {
    List<String> a = lines(new String(original, StandardCharsets.ISO_8859_1));
    List<String> p = lines(new String(patch, StandardCharsets.ISO_8859_1));
    if (p.isEmpty()) {
      return original.clone();
    }
    check(p.get(0).startsWith("--- ") && p.get(1).startsWith("+++ "), "missing ---/+++ header");
    StringBuilder out = new StringBuilder();
    int outLines = 0;
    int ai = 0;
    int i = 2;
    while (i < p.size()) {
      Matcher m = HUNK.matcher(p.get(i++));
      check(m.matches(), "expected hunk header at patch line " + i + ": " + p.get(i - 1));
      int startA = Integer.parseInt(m.group(1));
      int lengthA = m.group(2) == null ? 1 : Integer.parseInt(m.group(2));
      int startB = Integer.parseInt(m.group(3));
      int lengthB = m.group(4) == null ? 1 : Integer.parseInt(m.group(4));
      int first = lengthA == 0 ? startA : startA - 1;
      check(first >= ai, "hunks overlap or go backwards at " + m.group());
      while (ai < first) {
        out.append(a.get(ai++));
        outLines++;
      }
      check((lengthB == 0 ? startB : startB - 1) == outLines, "new start wrong in " + m.group());
      int remainingA = lengthA;
      int remainingB = lengthB;
      while (remainingA > 0 || remainingB > 0) {
        String line = p.get(i++);
        String body = line.substring(1);
        if (i < p.size() && p.get(i).startsWith("\\")) {
          check(p.get(i).equals("\\ No newline at end of file\n"), "bad marker " + p.get(i));
          check(body.endsWith("\n"), "marker after a line without newline");
          body = body.substring(0, body.length() - 1);
          i++;
        }
        switch (line.charAt(0)) {
          case ' ' -> {
            check(ai < a.size() && a.get(ai).equals(body), "context mismatch at A line " + (ai + 1));
            out.append(body);
            ai++;
            outLines++;
            remainingA--;
            remainingB--;
          }
          case '-' -> {
            check(ai < a.size() && a.get(ai).equals(body), "removed line mismatch at A line " + (ai + 1));
            ai++;
            remainingA--;
          }
          case '+' -> {
            out.append(body);
            outLines++;
            remainingB--;
          }
          default -> throw new AssertionError("bad hunk line: " + line);
        }
        check(remainingA >= 0 && remainingB >= 0, "hunk longer than its header says");
      }
    }
    while (ai < a.size()) {
      out.append(a.get(ai++));
    }
    return out.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  private static void check(boolean condition, String message) {
    if (!condition) {
      throw new AssertionError(message);
    }
  }

  static List<String> lines(String text) {
    List<String> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        lines.add(text.substring(start, i + 1));
        start = i + 1;
      }
    }
    if (start < text.length()) {
      lines.add(text.substring(start));
    }
    return lines;
  }
}
