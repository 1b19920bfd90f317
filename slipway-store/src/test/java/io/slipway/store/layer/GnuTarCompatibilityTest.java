package io.slipway.store.layer;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.store.compress.Compression;
import io.slipway.testing.RequiresTool;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GNU tar, the reference reader of tar files, must read Slipway's layers as Slipway means them. */
@RequiresTool(value = "tar", debianPackage = "tar")
class GnuTarCompatibilityTest {

  private static final Instant TIME = Instant.parse("2022-02-02T02:02:02Z");

  @TempDir Path temp;

  @Test
  void doesListEveryEntryWhenGnuTarReadsTheLayer() throws Exception {
    Path source = temp.resolve("source");
    TestTrees.populate(source, TIME);
    Path layer = writeLayer(source);

    String listing = TestTrees.run(temp, "tar", "-tvf", layer.toString());

    assertThat(listing)
        .contains("usr/bin/tool-alias link to usr/bin/tool")
        .contains("usr/bin/sh -> /bin/busybox")
        .contains("f".repeat(120) + "-ünïcode.txt")
        .contains("-rwsr-xr-x 0/0")
        .contains("prw-------")
        .contains("drwxrwxrwt")
        .contains("2022-02-02 02:02")
        .doesNotContain("PaxHeaders");
  }

  @Test
  void doesGiveTheSameTreeWhenGnuTarExtractsTheLayer() throws Exception {
    Path source = temp.resolve("source");
    TestTrees.populate(source, TIME);
    Path layer = writeLayer(source);
    Path target = Files.createDirectories(temp.resolve("target"));

    TestTrees.run(
        target, "tar", "--xattrs", "--xattrs-include=*", "--same-permissions", "-xf", layer.toString());

    assertThat(TestTrees.describe(target, true)).isEqualTo(TestTrees.describe(source, true));
  }

  private Path writeLayer(Path source) throws IOException {
    Path layer = temp.resolve("layer.tar");
    try (OutputStream out = Files.newOutputStream(layer)) {
      LayerWriter.write(
          ChangeSet.of(source),
          LayerWriteOptions.defaults().withCompression(Compression.NONE, -1),
          out);
    }
    return layer;
  }
}
