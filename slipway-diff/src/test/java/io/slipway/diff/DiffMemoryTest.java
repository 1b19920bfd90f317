package io.slipway.diff;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.slipway.diff.structured.JsonPatchApplier;
import io.slipway.diff.text.TextFixtures;
import io.slipway.testing.ChildJvm;
import io.slipway.testing.IntegrationTest;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Heap-limited diffs, each in a child JVM with its own {@code -Xmx}: surefire runs every test in
 * one JVM, so a heap limit can only be proven in a process of its own.
 */
@IntegrationTest
class DiffMemoryTest {
  private static final long MIB = 1024 * 1024;

  @TempDir Path dir;

  @Test
  void diffsTenMegabyteCrdAsTextWhenHeapIs64Megabytes() throws Exception {
    Path a = dir.resolve("a.json");
    Path b = dir.resolve("b.json");
    long lines = TextFixtures.writeCrdJson(a, 10 * MIB, 1, 0);
    TextFixtures.writeCrdJson(b, 10 * MIB, 1, 1);
    Path patch = dir.resolve("a.diff");

    Map<String, String> result = probe("-Xmx64m", "text", a.toString(), b.toString(), patch.toString());

    assertThat(Long.parseLong(result.get("linesAdded"))).isBetween(lines / 200, lines / 50);
    assertThat(result).containsEntry("degraded", "false");
    assertThat(io.slipway.diff.text.PatchCheck.apply(Files.readAllBytes(a), Files.readAllBytes(patch)))
        .isEqualTo(Files.readAllBytes(b));
  }

  @Test
  void diffsTenMegabyteCrdAsTreesWhenHeapIs64Megabytes() throws Exception {
    Path a = dir.resolve("a.json");
    Path b = dir.resolve("b.json");
    long lines = TextFixtures.writeCrdJson(a, 10 * MIB, 1, 0);
    TextFixtures.writeCrdJson(b, 10 * MIB, 1, 1);
    Path patch = dir.resolve("a.patch.json");

    Map<String, String> result = probe("-Xmx64m", "structured", a.toString(), b.toString(), patch.toString());

    assertThat(result).containsEntry("mode", "structured");
    assertThat(Long.parseLong(result.get("changes"))).isBetween(lines / 400, lines / 50);
    ObjectMapper mapper = new ObjectMapper();
    assertThat(JsonPatchApplier.apply(mapper.readTree(a.toFile()), mapper.readTree(patch.toFile())))
        .isEqualTo(mapper.readTree(b.toFile()));
  }

  @Test
  void diffsTwoHundredMegabytePairsConcurrentlyWhenHeapIs256Megabytes() throws Exception {
    Map<String, String> result =
        probe("-Xmx256m", "concurrent", dir.toString(), "200", String.valueOf(MIB));

    assertThat(result).containsEntry("pairs", "200");
    assertThat(Long.parseLong(result.get("linesAdded"))).isPositive();
  }

  @Test
  void finishesHundredMegabyteUnrelatedPairWithinCostBoundWhenHeapIs512Megabytes() throws Exception {
    Path a = dir.resolve("a.txt");
    Path b = dir.resolve("b.txt");
    writeUnrelated(a, 100 * MIB, 1);
    writeUnrelated(b, 100 * MIB, 2);
    // Each file is 100 MB: the pair is 200 MB, of which none is on the heap (both are mapped).

    Map<String, String> result = probe("-Xmx512m", "text", a.toString(), b.toString(), "-");

    // Lines drawn from a vocabulary of 3600: every line is too common to anchor on, Myers runs
    // into its cost bound and the diff says it degraded instead of running for hours.
    assertThat(result).containsEntry("degraded", "true");
    assertThat(Long.parseLong(result.get("patchBytes"))).isGreaterThan(100 * MIB);
    assertThat(Long.parseLong(result.get("costSteps")))
        .isLessThanOrEqualTo(Long.parseLong(result.get("costLimit")) + 10_000_000);
    assertThat(Long.parseLong(result.get("elapsedMillis"))).isLessThan(TimeUnit.MINUTES.toMillis(2));
  }

  private static void writeUnrelated(Path path, long size, long seed) throws IOException {
    Random random = new Random(seed);
    long written = 0;
    try (BufferedWriter out = Files.newBufferedWriter(path, StandardCharsets.US_ASCII)) {
      while (written < size) {
        String line = "entry " + random.nextInt(60) + " value " + random.nextInt(60) + "\n";
        out.write(line);
        written += line.length();
      }
    }
  }

  private Map<String, String> probe(String heap, String... args) throws Exception {
    String output;
    try (ChildJvm child =
        ChildJvm.start(dir.resolve("probe.log"), List.of(heap), MemoryProbe.class, args)) {
      output = child.awaitSuccess(Duration.ofMinutes(5));
    }
    Map<String, String> values = new HashMap<>();
    for (String line : output.split("\n")) {
      int equals = line.indexOf('=');
      if (equals > 0) {
        values.put(line.substring(0, equals), line.substring(equals + 1));
      }
    }
    System.out.printf("memory probe %s under %s: %s%n", args[0], heap, values);
    return values;
  }
}
