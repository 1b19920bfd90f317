package io.slipway.diff.text;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Generates inputs for diff tests: random line soups, edits of them, CRD-like JSON. Stateless. */
public final class TextFixtures {
  private TextFixtures() {}

  /** Lines drawn from a small vocabulary, so repeats (the hard case for diff) are common. */
  static List<String> randomLines(Random random, int count, int vocabulary) {
    List<String> lines = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int pick = random.nextInt(vocabulary);
      lines.add(pick == 0 ? "\n" : (pick == 1 ? "}\r\n" : "line " + pick + "\n"));
    }
    return lines;
  }

  /** A copy of {@code lines} with random runs deleted, inserted and replaced. */
  static List<String> mutate(Random random, List<String> lines, int edits, int vocabulary) {
    List<String> result = new ArrayList<>(lines);
    for (int e = 0; e < edits; e++) {
      int at = result.isEmpty() ? 0 : random.nextInt(result.size() + 1);
      int length = 1 + random.nextInt(4);
      switch (random.nextInt(3)) {
        case 0 -> {
          for (int i = 0; i < length && at < result.size(); i++) {
            result.remove(at);
          }
        }
        case 1 -> result.addAll(at, randomLines(random, length, vocabulary));
        default -> {
          for (int i = 0; i < length && at < result.size(); i++) {
            result.set(at + i < result.size() ? at + i : at, "changed " + random.nextInt(vocabulary) + "\n");
          }
        }
      }
    }
    return result;
  }

  /** Joins lines, dropping the final newline when asked. */
  static byte[] join(List<String> lines, boolean dropFinalNewline) {
    StringBuilder text = new StringBuilder();
    lines.forEach(text::append);
    if (dropFinalNewline && text.length() > 0 && text.charAt(text.length() - 1) == '\n') {
      text.setLength(text.length() - 1);
    }
    return text.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  /** Random bytes with newlines sprinkled in, including NUL-free binary-ish content. */
  static byte[] randomBytes(Random random, int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      int r = random.nextInt(12);
      bytes[i] = r == 0 ? (byte) '\n' : (byte) (1 + random.nextInt(255));
    }
    return bytes;
  }

  /**
   * Writes a Kubernetes-CRD-like JSON list of about {@code targetBytes}, one field per line, and
   * returns the number of lines written. With {@code changePercent > 0} every line has that chance
   * of carrying a changed value (same seed gives the same document otherwise). Streams to disk.
   */
  public static long writeCrdJson(Path path, long targetBytes, long seed, double changePercent)
      throws IOException {
    Random structure = new Random(seed);
    Random changes = new Random(seed * 31 + 7);
    long lines = 0;
    long written = 0;
    try (BufferedWriter out = Files.newBufferedWriter(path, StandardCharsets.UTF_8)) {
      out.write("{\n  \"apiVersion\": \"v1\",\n  \"kind\": \"List\",\n  \"items\": [\n");
      int item = 0;
      while (written < targetBytes) {
        StringBuilder b = new StringBuilder(1024);
        if (item > 0) {
          b.append(",\n");
        }
        String name = "widget-" + item;
        b.append("    {\n");
        b.append("      \"apiVersion\": \"slipway.io/v1\",\n");
        b.append("      \"kind\": \"Widget\",\n");
        b.append("      \"metadata\": {\n");
        b.append("        \"name\": \"").append(name).append("\",\n");
        b.append("        \"namespace\": \"team-").append(structure.nextInt(20)).append("\",\n");
        b.append("        \"resourceVersion\": \"").append(structure.nextInt(1_000_000)).append("\",\n");
        b.append("        \"labels\": {\n");
        b.append("          \"app\": \"").append(name).append("\",\n");
        b.append("          \"tier\": \"").append(structure.nextBoolean() ? "web" : "db").append("\"\n");
        b.append("        }\n      },\n");
        b.append("      \"spec\": {\n");
        b.append("        \"replicas\": ").append(structure.nextInt(10)).append(",\n");
        b.append("        \"containers\": [\n");
        int containers = 1 + structure.nextInt(3);
        for (int c = 0; c < containers; c++) {
          b.append("          {\n");
          b.append("            \"name\": \"c").append(c).append("\",\n");
          b.append("            \"image\": \"registry.example/").append(name).append(":1.")
              .append(structure.nextInt(50)).append("\",\n");
          b.append("            \"cpu\": \"").append(100 + structure.nextInt(900)).append("m\",\n");
          b.append("            \"memory\": \"").append(64 + structure.nextInt(960)).append("Mi\"\n");
          b.append("          }").append(c + 1 < containers ? "," : "").append("\n");
        }
        b.append("        ]\n      }\n    }");
        String chunk = b.toString();
        if (changePercent > 0) {
          StringBuilder changed = new StringBuilder(chunk.length() + 16);
          for (String line : chunk.split("\n", -1)) {
            if (changed.length() > 0) {
              changed.append('\n');
            }
            // Change a digit, or add trailing space: the line differs, the JSON stays valid.
            if (changes.nextDouble() * 100 < changePercent) {
              changed.append(line.matches(".*\\d.*") ? line.replaceFirst("(\\d)", "1$1") : line + " ");
            } else {
              changed.append(line);
            }
          }
          chunk = changed.toString();
        }
        out.write(chunk);
        written += chunk.length();
        lines += chunk.chars().filter(ch -> ch == '\n').count();
        item++;
      }
      out.write("\n  ]\n}\n");
      lines += 3;
    }
    return lines;
  }
}
