package io.slipway.diff.text;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.testing.IntegrationTest;
import io.slipway.testing.RequiresTool;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Applies Slipway's unified diffs with GNU patch and checks the result is B byte for byte. */
@IntegrationTest
@RequiresTool(value = "patch", debianPackage = "patch")
class GnuPatchRoundTripTest {

  @TempDir Path dir;

  @Test
  void patchRebuildsBWhenInputsAreRandom() throws Exception {
    Random random = new Random(20261124);
    for (int round = 0; round < 150; round++) {
      int vocabulary = 2 + random.nextInt(40);
      List<String> linesA = TextFixtures.randomLines(random, random.nextInt(200), vocabulary);
      List<String> linesB = TextFixtures.mutate(random, linesA, 1 + random.nextInt(12), vocabulary);
      byte[] a = TextFixtures.join(linesA, random.nextInt(4) == 0);
      byte[] b = TextFixtures.join(linesB, random.nextInt(4) == 0);
      TextDiffOptions options =
          TextDiffOptions.DEFAULTS
              .withAlgorithm(DiffAlgorithm.values()[round % 2])
              .withContextLines(random.nextInt(5));

      assertGnuPatchRebuilds(a, b, options, "round " + round);
    }
  }

  @Test
  void patchRebuildsBWhenInputsAreRealisticDocuments() throws Exception {
    for (int seed = 1; seed <= 6; seed++) {
      Path a = dir.resolve("crd-a-" + seed + ".json");
      Path b = dir.resolve("crd-b-" + seed + ".json");
      TextFixtures.writeCrdJson(a, 200_000, seed, 0);
      TextFixtures.writeCrdJson(b, 200_000, seed, seed);

      assertGnuPatchRebuilds(
          Files.readAllBytes(a), Files.readAllBytes(b), TextDiffOptions.DEFAULTS, "CRD seed " + seed);
    }
    byte[] source = sourceLikeText(new Random(4), 3000);
    byte[] edited = new String(source, StandardCharsets.UTF_8)
        .replace("return value;", "return value + 1;")
        .replace("  }\n\n", "  }\n\n  // moved\n\n")
        .getBytes(StandardCharsets.UTF_8);
    assertGnuPatchRebuilds(source, edited, TextDiffOptions.DEFAULTS, "source-like");
  }

  @Test
  void patchRebuildsBWhenDiffDegradedToCoarseHunks() throws Exception {
    Random random = new Random(77);
    byte[] a = TextFixtures.join(TextFixtures.randomLines(random, 4000, 4), true);
    byte[] b = TextFixtures.join(TextFixtures.randomLines(random, 4000, 4), false);
    TextDiffOptions tight = TextDiffOptions.DEFAULTS.withAlgorithm(DiffAlgorithm.MYERS).withCost(2, 5000);

    TextDiff diff = assertGnuPatchRebuilds(a, b, tight, "degraded");

    assertThat(diff.degraded()).isTrue();
  }

  private static byte[] sourceLikeText(Random random, int methods) {
    StringBuilder text = new StringBuilder("final class Generated {\n");
    for (int i = 0; i < methods; i++) {
      text.append("  int method").append(i).append("(int value) {\n");
      if (random.nextBoolean()) {
        text.append("    value += ").append(random.nextInt(100)).append(";\n");
      }
      text.append("    return value;\n  }\n\n");
    }
    return text.append("}\n").toString().getBytes(StandardCharsets.UTF_8);
  }

  private TextDiff assertGnuPatchRebuilds(byte[] a, byte[] b, TextDiffOptions options, String what)
      throws IOException, InterruptedException {
    Path fileA = Files.write(dir.resolve("a"), a);
    Path fileB = Files.write(dir.resolve("b"), b);
    Path patch = dir.resolve("patch.diff");
    Path rebuilt = dir.resolve("rebuilt");
    Files.deleteIfExists(rebuilt);
    TextDiff diff = new TextDiffer(options).compare(fileA, fileB);
    try (OutputStream out = Files.newOutputStream(patch)) {
      diff.writeUnified(out, "a", "b");
    }
    if (diff.identical()) {
      assertThat(a).as(what).isEqualTo(b);
      return diff;
    }
    Process process =
        new ProcessBuilder(
                "patch", "--batch", "--silent", "--posix", "-o", rebuilt.toString(), fileA.toString(),
                patch.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("patch finished").isTrue();
    List<String> context = new ArrayList<>(List.of(what, String.valueOf(options), output));
    assertThat(process.exitValue()).as("patch exit code; %s", context).isZero();
    byte[] result = Files.exists(rebuilt) ? Files.readAllBytes(rebuilt) : new byte[0];
    assertThat(result).as("patched A equals B; %s", context).isEqualTo(b);
    return diff;
  }
}
