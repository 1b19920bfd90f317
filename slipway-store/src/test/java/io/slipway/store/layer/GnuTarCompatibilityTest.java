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

  @Test
  void doesDecodeWhatGnuTarWritesInGnuAndPosixFormats() throws Exception {
    Path source = temp.resolve("source");
    TestTrees.populate(source, TIME);
    Files.writeString(source.resolve("etc/.wh.removed"), "");
    for (String format : new String[] {"gnu", "posix"}) {
      Path archive = temp.resolve(format + ".tar");
      TestTrees.run(
          source, "tar", "--sort=name", "--format=" + format, "--xattrs", "--xattrs-include=*", "-cf",
          archive.toString(), ".");
      java.util.Map<String, LayerEntry> entries = new java.util.HashMap<>();
      try (LayerReader reader = LayerReader.open(Files.newInputStream(archive))) {
        for (var e = reader.next(); e.isPresent(); e = reader.next()) {
          entries.put(e.get().path(), e.get());
        }
      }

      String longName = "d".repeat(60) + "/" + "f".repeat(120) + "-ünïcode.txt";
      assertThat(entries.get(longName)).as(format).isInstanceOf(LayerEntry.File.class);
      assertThat(entries.get("etc/removed")).as(format).isEqualTo(new LayerEntry.Whiteout("etc/removed"));
      assertThat(entries.get("usr/bin/tool-alias"))
          .as(format)
          .isInstanceOfSatisfying(LayerEntry.Hardlink.class, h -> assertThat(h.target()).isEqualTo("usr/bin/tool"));
      assertThat(entries.get("usr/bin/sh"))
          .as(format)
          .isInstanceOfSatisfying(LayerEntry.Symlink.class, l -> assertThat(l.target()).isEqualTo("/bin/busybox"));
      LayerEntry.File blob = (LayerEntry.File) entries.get("usr/blob.bin");
      assertThat(blob.size()).isEqualTo(Files.size(source.resolve("usr/blob.bin")));
      assertThat(blob.attributes().mtime()).isEqualTo(TIME);
      if (format.equals("posix")) {
        LayerEntry.File hostname = (LayerEntry.File) entries.get("etc/hostname");
        assertThat(hostname.attributes().xattrs().get("user.slipway.cap")).isEqualTo(TestTrees.CAPABILITY);
      }
    }
  }

  @Test
  void doesSkipUnreadContentWhenMovingToTheNextEntry() throws Exception {
    Path source = temp.resolve("source");
    TestTrees.populate(source, TIME);
    Path layer = writeLayer(source);

    try (LayerReader reader = LayerReader.open(Files.newInputStream(layer))) {
      String hostname = null;
      for (var e = reader.next(); e.isPresent(); e = reader.next()) {
        if (e.get().path().equals("usr/blob.bin")) {
          assertThat(reader.content().readNBytes(10)).hasSize(10);
        }
        if (e.get().path().equals("etc/hostname")) {
          hostname = new String(reader.content().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
      }
      assertThat(hostname).isEqualTo("slipway\n");
      assertThat(reader.diffId().toString()).isEqualTo("sha256:" + TestTrees.sha256(Files.newInputStream(layer)));
    }
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
