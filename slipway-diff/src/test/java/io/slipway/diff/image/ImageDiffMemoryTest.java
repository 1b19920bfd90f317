package io.slipway.diff.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.oci.ImageConfig;
import io.slipway.testing.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves the image diff's memory does not grow with the number of files: two images of 150,000
 * files each are compared in a child JVM under {@code -Xmx32m}, where an index held wholly in
 * memory (about 60 MB per image) could not fit.
 */
class ImageDiffMemoryTest {
  private static final int FILES = 150_000;

  @TempDir Path temp;
  @TempDir Path logs;

  @Test
  void diffsImagesOfManyFilesWhenHeapIsFarBelowAnInMemoryIndex() throws Exception {
    ImageLayouts.Layer many = ImageLayouts.layer().dir("d");
    for (int i = 0; i < FILES; i++) {
      many.file("d/file-with-a-longer-name-" + i, "");
    }
    ImageLayouts.Layer edits = ImageLayouts.layer();
    for (int i = 0; i < 1000; i++) {
      edits.file("d/file-with-a-longer-name-" + (i * 100), "edited");
      edits.whiteout("d/file-with-a-longer-name-" + (i * 100 + 1));
    }
    ImageConfig.RunConfig run = ImageConfig.RunConfig.EMPTY;
    ImageLayouts.write(temp.resolve("a"), "1", run, List.of(many));
    ImageLayouts.write(temp.resolve("b"), "1", run, List.of(many, edits));

    Map<String, String> result = probe("-Xmx32m", temp.resolve("a").toString(), temp.resolve("b").toString(),
        "8192", temp.toString());

    assertThat(result.get("changes")).isEqualTo("2000");
    assertThat(Integer.parseInt(result.get("runsA"))).isGreaterThanOrEqualTo(FILES / 8192);
    assertThat(Long.parseLong(result.get("peakHeapBytes"))).isLessThan(32L << 20);
  }

  private Map<String, String> probe(String heap, String... args) throws Exception {
    String output;
    // The log stays out of the spill directory the probe is given.
    try (ChildJvm child = ChildJvm.start(logs.resolve("probe.log"), List.of(heap),
        ImageMemoryProbe.class, args)) {
      output = child.awaitSuccess(Duration.ofMinutes(5));
    }
    Map<String, String> values = new HashMap<>();
    for (String line : output.split("\n")) {
      int equals = line.indexOf('=');
      if (equals > 0) {
        values.put(line.substring(0, equals), line.substring(equals + 1));
      }
    }
    System.out.printf("image memory probe under %s: %s%n", heap, values);
    return values;
  }
}
