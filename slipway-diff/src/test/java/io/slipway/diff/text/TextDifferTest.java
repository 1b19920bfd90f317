package io.slipway.diff.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextDifferTest {

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] patchBytes(TextDiff diff) {
    return unified(diff).getBytes(StandardCharsets.ISO_8859_1);
  }

  private static String unified(TextDiff diff) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      diff.writeUnified(out, "a", "b");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  private static TextDiff diff(String a, String b, TextDiffOptions options) {
    return new TextDiffer(options).compare(TextInput.of(bytes(a)), TextInput.of(bytes(b)));
  }

  @Test
  void writesNothingWhenInputsAreIdentical() {
    TextDiff diff = diff("x\ny\n", "x\ny\n", TextDiffOptions.DEFAULTS);

    assertThat(diff.identical()).isTrue();
    assertThat(unified(diff)).isEmpty();
  }

  @Test
  void writesGnuStyleHunkWhenOneLineChanges() {
    String a = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
    String b = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n";

    assertThat(unified(diff(a, b, TextDiffOptions.DEFAULTS)))
        .isEqualTo("--- a\n+++ b\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n");
  }

  @Test
  void writesEmptyRangeAsLineBeforeWhenLinesAreOnlyAdded() {
    assertThat(unified(diff("a\nb\n", "a\nnew\nb\n", TextDiffOptions.DEFAULTS.withContextLines(0))))
        .isEqualTo("--- a\n+++ b\n@@ -1,0 +2 @@\n+new\n");
  }

  @Test
  void marksMissingNewlineWhenLastLineHasNone() {
    assertThat(unified(diff("a\nb", "a\nb\n", TextDiffOptions.DEFAULTS)))
        .isEqualTo("--- a\n+++ b\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n");
  }

  @Test
  void mergesChangesIntoOneHunkWhenTheirGapIsAtMostTwiceTheContext() {
    String a = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n";
    String b = "1\nX\n3\n4\n5\n6\n7\nY\n9\n10\n";

    // The gap is 5 unchanged lines: one hunk with 3 lines of context, two with 2.
    assertThat(unified(diff(a, b, TextDiffOptions.DEFAULTS.withContextLines(3))).split("@@ -").length)
        .isEqualTo(2);
    assertThat(unified(diff(a, b, TextDiffOptions.DEFAULTS.withContextLines(2))).split("@@ -").length)
        .isEqualTo(3);
  }

  @Test
  void producesExactPatchForRandomInputs() {
    Random random = new Random(42);
    for (int round = 0; round < 3000; round++) {
      int vocabulary = 2 + random.nextInt(30);
      List<String> linesA = TextFixtures.randomLines(random, random.nextInt(60), vocabulary);
      List<String> linesB = TextFixtures.mutate(random, linesA, random.nextInt(8), vocabulary);
      byte[] a = TextFixtures.join(linesA, random.nextInt(4) == 0);
      byte[] b = TextFixtures.join(linesB, random.nextInt(4) == 0);
      TextDiffOptions options =
          TextDiffOptions.DEFAULTS
              .withAlgorithm(DiffAlgorithm.values()[round % 2])
              .withContextLines(random.nextInt(4));

      assertRoundTrip(a, b, options, "round " + round);
    }
  }

  @Test
  void producesExactPatchForRandomBytes() {
    Random random = new Random(7);
    for (int round = 0; round < 500; round++) {
      byte[] a = TextFixtures.randomBytes(random, random.nextInt(400));
      byte[] b = random.nextBoolean() ? TextFixtures.randomBytes(random, random.nextInt(400)) : a.clone();
      if (b.length > 0) {
        b[random.nextInt(b.length)] = '\n';
      }
      assertRoundTrip(a, b, TextDiffOptions.DEFAULTS.withAlgorithm(DiffAlgorithm.values()[round % 2]), "round " + round);
    }
  }

  private static void assertRoundTrip(byte[] a, byte[] b, TextDiffOptions options, String what) {
    TextDiff diff = new TextDiffer(options).compare(TextInput.of(a), TextInput.of(b));
    byte[] patch = patchBytes(diff);
    String shown = unified(diff);

    assertThat(UnifiedPatch.apply(a, patch))
        .as("%s with %s; patch:%n%s", what, options, shown)
        .isEqualTo(b);
    assertThat(diff.identical()).as(what).isEqualTo(java.util.Arrays.equals(a, b));
  }

  @Test
  void findsShortestEditScriptWithMyers() {
    Random random = new Random(3);
    for (int round = 0; round < 1000; round++) {
      int vocabulary = 2 + random.nextInt(6);
      List<String> linesA = TextFixtures.randomLines(random, random.nextInt(40), vocabulary);
      List<String> linesB = TextFixtures.randomLines(random, random.nextInt(40), vocabulary);
      TextDiff diff =
          new TextDiffer(TextDiffOptions.DEFAULTS.withAlgorithm(DiffAlgorithm.MYERS))
              .compare(TextInput.of(TextFixtures.join(linesA, false)), TextInput.of(TextFixtures.join(linesB, false)));

      int lcs = longestCommonSubsequence(linesA, linesB);
      assertThat(diff.linesRemoved() + diff.linesAdded())
          .as("round %d", round)
          .isEqualTo(linesA.size() + linesB.size() - 2 * lcs);
    }
  }

  private static int longestCommonSubsequence(List<String> a, List<String> b) {
    int[][] table = new int[a.size() + 1][b.size() + 1];
    for (int i = a.size() - 1; i >= 0; i--) {
      for (int j = b.size() - 1; j >= 0; j--) {
        table[i][j] =
            a.get(i).equals(b.get(j)) ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
      }
    }
    return table[0][0];
  }

  @Test
  void degradesToCoarserHunksAndSaysSoWhenCostLimitIsReached() {
    Random random = new Random(11);
    byte[] a = TextFixtures.join(TextFixtures.randomLines(random, 3000, 5), false);
    byte[] b = TextFixtures.join(TextFixtures.randomLines(random, 3000, 5), false);
    TextDiffOptions tight = TextDiffOptions.DEFAULTS.withAlgorithm(DiffAlgorithm.MYERS).withCost(1, 1000);

    TextDiff diff = new TextDiffer(tight).compare(TextInput.of(a), TextInput.of(b));

    assertThat(diff.degraded()).isTrue();
    assertThat(diff.note()).hasValueSatisfying(note -> assertThat(note).contains("cost limit of 7000 steps"));
    assertThat(UnifiedPatch.apply(a, patchBytes(diff))).isEqualTo(b);
  }

  @Test
  void splitsAtFurthestPointInsteadOfDegradingWhenMyersSearchGetsExpensive() {
    Random random = new Random(8);
    List<String> lines = TextFixtures.randomLines(random, 100_000, 1_000_000);
    byte[] a = TextFixtures.join(lines, false);
    byte[] b = TextFixtures.join(TextFixtures.mutate(random, lines, 3000, 1_000_000), false);

    TextDiff diff =
        new TextDiffer(TextDiffOptions.DEFAULTS.withAlgorithm(DiffAlgorithm.MYERS))
            .compare(TextInput.of(a), TextInput.of(b));

    assertThat(diff.degraded()).as("degraded with %d steps", diff.costSteps()).isFalse();
    assertThat(UnifiedPatch.apply(a, patchBytes(diff))).isEqualTo(b);
  }

  @Test
  void doesNotDegradeWhenInputsShareMostLines() {
    Random random = new Random(5);
    List<String> lines = TextFixtures.randomLines(random, 20_000, 100_000);
    byte[] a = TextFixtures.join(lines, false);
    byte[] b = TextFixtures.join(TextFixtures.mutate(random, lines, 200, 100_000), false);

    TextDiff diff = new TextDiffer().compare(TextInput.of(a), TextInput.of(b));

    assertThat(diff.degraded()).isFalse();
    assertThat(UnifiedPatch.apply(a, patchBytes(diff))).isEqualTo(b);
  }

  @Test
  void givesSameDiffWhenInputsAreMapped(@TempDir Path dir) throws IOException {
    Random random = new Random(9);
    List<String> lines = TextFixtures.randomLines(random, 5000, 50);
    Path a = Files.write(dir.resolve("a"), TextFixtures.join(lines, false));
    Path b = Files.write(dir.resolve("b"), TextFixtures.join(TextFixtures.mutate(random, lines, 30, 50), true));

    TextInput mappedA = TextInput.open(a, 0);
    TextDiff mapped = new TextDiffer(TextDiffOptions.DEFAULTS.withMapThresholdBytes(0)).compare(a, b);
    TextDiff onHeap = new TextDiffer(TextDiffOptions.DEFAULTS.withMapThresholdBytes(Long.MAX_VALUE)).compare(a, b);

    assertThat(mappedA.mapped()).isTrue();
    assertThat(unified(mapped)).isEqualTo(unified(onHeap));
    assertThat(UnifiedPatch.apply(Files.readAllBytes(a), patchBytes(mapped))).isEqualTo(Files.readAllBytes(b));
  }

  @Test
  void diffsEmptyAgainstNonEmptyWhenOneInputIsEmpty() {
    assertThat(unified(diff("", "a\n", TextDiffOptions.DEFAULTS))).isEqualTo("--- a\n+++ b\n@@ -0,0 +1 @@\n+a\n");
    assertThat(unified(diff("a", "", TextDiffOptions.DEFAULTS)))
        .isEqualTo("--- a\n+++ b\n@@ -1 +0,0 @@\n-a\n\\ No newline at end of file\n");
  }

  @Test
  void refusesInputWhenItExceedsOneMapping(@TempDir Path dir) throws IOException {
    Path huge = dir.resolve("huge.txt");
    try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
      file.setLength(3L << 30); // sparse: takes no disk
    }

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> TextInput.open(huge, 0))
        .isInstanceOf(TextInputException.class)
        .hasMessageContaining("huge.txt")
        .hasMessageContaining("up to 2 GiB");
  }

  @Test
  void namesFileWhenInputIsMissing(@TempDir Path dir) {
    Path missing = dir.resolve("nope.txt");

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> TextInput.open(missing, 0))
        .isInstanceOf(TextInputException.class)
        .hasMessageContaining("nope.txt")
        .hasMessageContaining("cannot read");
  }

  @Test
  void allocatesWithinMemoryFormulaWhenInputsAreMapped(@TempDir Path dir) throws IOException {
    Path a = dir.resolve("a.json");
    Path b = dir.resolve("b.json");
    TextFixtures.writeCrdJson(a, 2 << 20, 3, 0);
    TextFixtures.writeCrdJson(b, 2 << 20, 3, 1);
    long lines = Files.lines(a).count() + Files.lines(b).count();
    TextDiffer differ = new TextDiffer();
    differ.compare(a, b);
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();

    long before = threads.getCurrentThreadAllocatedBytes();
    TextDiff diff = differ.compare(a, b);
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;

    // Everything allocated bounds the peak from above: starts and ids (12 bytes a line), the
    // intern table (at most 20), the histogram index (at most 12), and the fixed overhead.
    assertThat(diff.identical()).isFalse();
    assertThat(allocated)
        .as("bytes allocated for %d lines", lines)
        .isLessThanOrEqualTo(44 * lines + TextDiffer.FIXED_OVERHEAD_BYTES + 16L * diff.changes());
    System.out.printf("allocated %d bytes for %d lines: %.1f bytes a line%n", allocated, lines, (double) allocated / lines);
  }
}
