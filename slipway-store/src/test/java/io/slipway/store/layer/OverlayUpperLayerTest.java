package io.slipway.store.layer;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.testing.IntegrationTest;
import io.slipway.testing.RequiresTool;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the runc executor will do: changes made through a real overlayfs mount are captured from
 * the upper dir alone, and that layer applied over the lower layer gives the merged view.
 */
@IntegrationTest
@RequiresTool(value = {"mount", "umount"}, debianPackage = "mount")
class OverlayUpperLayerTest {

  @TempDir Path temp;

  @Test
  void doesReproduceTheMergedViewWhenUpperLayerIsAppliedOverLower() throws Exception {
    Assumptions.assumeTrue(NativeFiles.isRoot(), "mounting overlayfs needs root");
    Path lower = temp.resolve("lower");
    Path upper = Files.createDirectories(temp.resolve("upper"));
    Path work = Files.createDirectories(temp.resolve("work"));
    Path merged = Files.createDirectories(temp.resolve("merged"));
    TestTrees.populate(lower, Instant.parse("2020-02-02T00:00:00Z"));
    Files.createDirectories(lower.resolve("srv/data"));
    Files.writeString(lower.resolve("srv/data/old"), "old");

    List<String> expected;
    TestTrees.run(
        temp, "mount", "-t", "overlay", "overlay",
        "-o", "lowerdir=" + lower + ",upperdir=" + upper + ",workdir=" + work, merged.toString());
    try {
      Files.delete(merged.resolve("etc/hostname"));
      TestTrees.run(temp, "rm", "-rf", merged.resolve("etc/conf.d").toString(), merged.resolve("var").toString());
      Files.createDirectories(merged.resolve("etc/conf.d"));
      Files.writeString(merged.resolve("etc/conf.d/replaced.conf"), "new\n");
      Files.writeString(merged.resolve("usr/blob.bin"), "rewritten");
      Files.writeString(merged.resolve("srv/data/added"), "added");
      Files.setAttribute(merged.resolve("srv/data/old"), "unix:mode", 0600);
      Files.createSymbolicLink(merged.resolve("srv/link"), Path.of("data/added"));
      expected = TestTrees.describe(merged, false);
    } finally {
      TestTrees.run(temp, "umount", merged.toString());
    }

    ByteArrayOutputStream lowerLayer = new ByteArrayOutputStream();
    LayerWriter.write(ChangeSet.of(lower), LayerWriteOptions.defaults(), lowerLayer);
    ByteArrayOutputStream upperLayer = new ByteArrayOutputStream();
    LayerWriter.writeOverlayUpper(upper, LayerWriteOptions.defaults(), upperLayer);
    Path root = Files.createDirectories(temp.resolve("root"));
    for (ByteArrayOutputStream layer : List.of(lowerLayer, upperLayer)) {
      LayerExtractor.extract(new ByteArrayInputStream(layer.toByteArray()), root, ExtractOptions.forCurrentUser());
    }

    assertThat(TestTrees.describe(root, false)).isEqualTo(expected);
    assertThat(expected).noneMatch(line -> line.startsWith("etc/hostname ") || line.startsWith("var"));
    assertThat(layerPaths(upperLayer.toByteArray()))
        .contains("OpaqueMarker etc/conf.d", "Whiteout etc/hostname", "Whiteout var")
        .doesNotContain("File etc/conf.d/app.conf");
  }

  private static List<String> layerPaths(byte[] layer) throws IOException {
    List<String> out = new java.util.ArrayList<>();
    try (LayerReader reader = LayerReader.open(new ByteArrayInputStream(layer))) {
      for (var e = reader.next(); e.isPresent(); e = reader.next()) {
        out.add(e.get().getClass().getSimpleName() + " " + e.get().path());
      }
    }
    return out;
  }
}
