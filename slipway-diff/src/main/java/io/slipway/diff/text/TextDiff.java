package io.slipway.diff.text;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * The result of comparing two texts line by line: counts, whether the cost bound made it coarser,
 * and the unified diff, written on demand straight from the inputs' bytes.
 *
 * <p>Holds the two inputs (mapped ones stay mapped while this object is reachable), the start of
 * every line of their differing middles ({@code 4 bytes × line}) and the packed changes. Immutable
 * once built, so safe for concurrent use; {@link #writeUnified} may run from several threads.
 */
public final class TextDiff {
  private final TextInput a;
  private final TextInput b;
  private final int contextLines;
  private final int baseLine;
  private final int[] startsA;
  private final int[] startsB;
  private final EditScript script;
  private final int degradedRegions;
  private final long costLimit;
  private final long costSteps;
  private final int linesAdded;
  private final int linesRemoved;

  TextDiff(
      TextInput a,
      TextInput b,
      int contextLines,
      int baseLine,
      int[] startsA,
      int[] startsB,
      EditScript script,
      int degradedRegions,
      long costLimit,
      long costSteps) {
    this.a = a;
    this.b = b;
    this.contextLines = contextLines;
    this.baseLine = baseLine;
    this.startsA = startsA;
    this.startsB = startsB;
    this.script = script;
    this.degradedRegions = degradedRegions;
    this.costLimit = costLimit;
    this.costSteps = costSteps;
    int added = 0;
    int removed = 0;
    for (int i = 0; i < script.count(); i++) {
      removed += script.a1(i) - script.a0(i);
      added += script.b1(i) - script.b0(i);
    }
    this.linesAdded = added;
    this.linesRemoved = removed;
  }

  /** Whether the two inputs are byte for byte the same. */
  public boolean identical() {
    return script.count() == 0;
  }

  /** Lines present in B and not matched in A. */
  public int linesAdded() {
    return linesAdded;
  }

  /** Lines present in A and not matched in B. */
  public int linesRemoved() {
    return linesRemoved;
  }

  /** Number of separate changes (runs of removed and added lines). */
  public int changes() {
    return script.count();
  }

  /** The step limit this diff ran under. */
  public long costLimit() {
    return costLimit;
  }

  /** The steps the line matching took, to compare with {@link #costLimit()}. */
  public long costSteps() {
    return costSteps;
  }

  /**
   * Whether the cost bound was reached, so some regions are reported as whole replacements rather
   * than line by line. The unified diff is still an exact patch from A to B.
   */
  public boolean degraded() {
    return degradedRegions > 0;
  }

  /** A sentence for the user when the diff was {@link #degraded()}, empty otherwise. */
  public Optional<String> note() {
    if (!degraded()) {
      return Optional.empty();
    }
    return Optional.of(
        "diff cost limit of "
            + costLimit
            + " steps reached; "
            + degradedRegions
            + " region(s) are shown as whole replacements instead of line by line"
            + " (the patch is still exact; raise the cost factor for a finer diff)");
  }

  /**
   * Writes the unified diff ({@code diff -u} format, as GNU {@code patch} reads it) with the
   * context lines this diff was computed for. Writes nothing when the inputs are identical.
   *
   * @param labelA the text after {@code "--- "}, typically the path of A and a tab and its time
   * @param labelB the text after {@code "+++ "}
   */
  public void writeUnified(OutputStream sink, String labelA, String labelB) throws IOException {
    if (identical()) {
      return;
    }
    OutputStream out = new BufferedOutputStream(sink, 1 << 16);
    UnifiedWriter writer = new UnifiedWriter(out);
    writer.header(labelA, labelB);
    int linesA = startsA.length - 1;
    int count = script.count();
    int change = 0;
    while (change < count) {
      // A hunk takes every following change whose gap of unchanged lines is at most 2·context.
      int last = change;
      while (last + 1 < count && script.a0(last + 1) - script.a1(last) <= 2 * contextLines) {
        last++;
      }
      int hunkA0 = Math.max(0, script.a0(change) - contextLines);
      int hunkB0 = script.b0(change) - (script.a0(change) - hunkA0);
      int hunkA1 = Math.min(linesA, script.a1(last) + contextLines);
      int hunkB1 = script.b1(last) + (hunkA1 - script.a1(last));
      writer.hunkHeader(baseLine + hunkA0, hunkA1 - hunkA0, baseLine + hunkB0, hunkB1 - hunkB0);
      int lineA = hunkA0;
      for (int i = change; i <= last; i++) {
        for (; lineA < script.a0(i); lineA++) {
          writer.line(' ', a.buffer(), startsA[lineA], startsA[lineA + 1]);
        }
        for (int j = script.a0(i); j < script.a1(i); j++) {
          writer.line('-', a.buffer(), startsA[j], startsA[j + 1]);
        }
        for (int j = script.b0(i); j < script.b1(i); j++) {
          writer.line('+', b.buffer(), startsB[j], startsB[j + 1]);
        }
        lineA = script.a1(i);
      }
      for (; lineA < hunkA1; lineA++) {
        writer.line(' ', a.buffer(), startsA[lineA], startsA[lineA + 1]);
      }
      change = last + 1;
    }
    out.flush();
  }

  /** Formats unified-diff lines into a buffered stream. */
  private static final class UnifiedWriter {
    private static final byte[] NO_NEWLINE =
        "\n\\ No newline at end of file\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final OutputStream out;
    private final byte[] scratch = new byte[8192];

    UnifiedWriter(OutputStream out) {
      this.out = out;
    }

    void header(String labelA, String labelB) throws IOException {
      out.write(("--- " + labelA + "\n+++ " + labelB + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    void hunkHeader(int startA, int lengthA, int startB, int lengthB) throws IOException {
      StringBuilder header = new StringBuilder(40).append("@@ -");
      range(header, startA, lengthA);
      header.append(" +");
      range(header, startB, lengthB);
      header.append(" @@\n");
      out.write(header.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    /**
     * GNU diff's range notation: {@code start,length}, just {@code start} for one line, and for an
     * empty range the line before it with length 0. {@code start} is 0-based here.
     */
    private static void range(StringBuilder header, int start, int length) {
      if (length == 0) {
        header.append(start).append(",0");
      } else if (length == 1) {
        header.append(start + 1);
      } else {
        header.append(start + 1).append(',').append(length);
      }
    }

    void line(char marker, ByteBuffer buffer, int from, int to) throws IOException {
      out.write(marker);
      copy(buffer, from, to);
      if (to == from || buffer.get(to - 1) != '\n') {
        out.write(NO_NEWLINE);
      }
    }

    private void copy(ByteBuffer buffer, int from, int to) throws IOException {
      if (buffer.hasArray()) {
        out.write(buffer.array(), buffer.arrayOffset() + from, to - from);
        return;
      }
      for (int at = from; at < to; ) {
        int length = Math.min(scratch.length, to - at);
        buffer.get(at, scratch, 0, length);
        out.write(scratch, 0, length);
        at += length;
      }
    }
  }
}
