package io.slipway.store.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A normalized tree must be indistinguishable from unpacking the layer written from it. */
class RecordedTreeTest {

  /** Sub-second times on purpose: the tar keeps whole seconds only. */
  private static final Instant WRITTEN = Instant.parse("2025-03-04T05:06:07.891234567Z");

  @TempDir Path temp;

  @Test
  void equalsTheUnpackedLayerWithDefaultOptions() throws IOException {
    assertEqualsUnpacked(LayerWriteOptions.defaults());
  }

  @Test
  void equalsTheUnpackedLayerWhenTimesAreRewritten() throws IOException {
    assertEqualsUnpacked(LayerWriteOptions.defaults()
        .withTimestamps(TimestampPolicy.rewrite(Instant.parse("2024-01-01T00:00:00Z"))));
  }

  @Test
  void equalsTheUnpackedLayerWhenOwnersAreFixed() throws IOException {
    // Changing owners needs root; the extractor keeps owners only as root.
    assumeThat(System.getProperty("user.name")).isEqualTo("root");
    assertEqualsUnpacked(LayerWriteOptions.defaults().withOwners(OwnerPolicy.fixed(7, 8)));
  }

  private void assertEqualsUnpacked(LayerWriteOptions options) throws IOException {
    Path tree = temp.resolve("tree");
    TestTrees.populate(tree, WRITTEN);
    RecordedTree.normalize(tree, options);
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    LayerWriter.writeTar(ChangeSet.of(tree), false, options, tar);
    Path unpacked = Files.createDirectory(temp.resolve("unpacked"));
    LayerExtractor.extract(new ByteArrayInputStream(tar.toByteArray()), unpacked,
        ExtractOptions.forCurrentUser().inOverlayFormat());

    assertThat(TestTrees.describe(tree, true)).isEqualTo(TestTrees.describe(unpacked, true));
  }
}
