package io.slipway.store.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.store.compress.Compression;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LayerWriterTest {

  private static final Instant EPOCH = Instant.parse("2024-01-02T03:04:05Z");

  @TempDir Path temp;

  @ParameterizedTest
  @EnumSource(
      value = Compression.class,
      names = {"NONE", "GZIP", "ZSTD"})
  void doesGiveIdenticalDigestsWhenCopiesDifferOnlyInTimestamps(Compression compression)
      throws IOException {
    Path a = temp.resolve("a");
    Path b = temp.resolve("b");
    TestTrees.populate(a, Instant.parse("2025-05-05T05:05:05Z"));
    TestTrees.populate(b, Instant.parse("2026-11-11T11:11:11Z"));
    LayerWriteOptions options =
        LayerWriteOptions.defaults()
            .withCompression(compression, -1)
            .withTimestamps(TimestampPolicy.rewrite(EPOCH));

    LayerDigests first = LayerWriter.write(ChangeSet.of(a), options, new ByteArrayOutputStream());
    LayerDigests second = LayerWriter.write(ChangeSet.of(b), options, new ByteArrayOutputStream());

    assertThat(second).isEqualTo(first);
    if (compression == Compression.NONE) {
      assertThat(first.digest()).isEqualTo(first.diffId());
    }
  }

  @Test
  void doesClampOnlyTimesLaterThanTheEpochWhenClamping() throws IOException {
    Path tree = temp.resolve("t");
    Files.createDirectories(tree);
    Files.writeString(tree.resolve("old"), "o");
    Files.writeString(tree.resolve("new"), "n");
    Files.setLastModifiedTime(tree.resolve("old"), java.nio.file.attribute.FileTime.from(Instant.parse("2001-01-01T00:00:00Z")));
    Files.setLastModifiedTime(tree.resolve("new"), java.nio.file.attribute.FileTime.from(Instant.parse("2030-01-01T00:00:00Z")));

    List<LayerEntry> entries =
        entries(tree, LayerWriteOptions.defaults().withTimestamps(TimestampPolicy.clamp(EPOCH)));

    assertThat(entries)
        .extracting(e -> ((LayerEntry.File) e).attributes().mtime())
        .containsExactly(EPOCH, Instant.parse("2001-01-01T00:00:00Z"));
  }

  @Test
  void doesRecordOneOwnerForEveryEntryWhenOwnersAreFixed() throws IOException {
    Path tree = temp.resolve("t");
    TestTrees.populate(tree, EPOCH);

    List<LayerEntry> entries =
        entries(tree, LayerWriteOptions.defaults().withOwners(OwnerPolicy.fixed(7, 8)).withOwnerNames(true));

    assertThat(entries)
        .filteredOn(e -> !(e instanceof LayerEntry.Whiteout) && !(e instanceof LayerEntry.OpaqueMarker))
        .extracting(e -> attributesOf(entries, e.path()))
        .allSatisfy(
            a -> {
              assertThat(a.uid()).isEqualTo(7);
              assertThat(a.gid()).isEqualTo(8);
              assertThat(a.uname()).isEmpty();
            });
  }

  @Test
  void doesWriteTheSameGzipBytesWhenThreadCountsDiffer() throws IOException {
    Path tree = temp.resolve("t");
    TestTrees.populate(tree, EPOCH);
    LayerWriteOptions options =
        LayerWriteOptions.defaults().withTimestamps(TimestampPolicy.rewrite(EPOCH));

    ByteArrayOutputStream one = new ByteArrayOutputStream();
    ByteArrayOutputStream three = new ByteArrayOutputStream();
    LayerDigests single = LayerWriter.write(ChangeSet.of(tree), options, one);
    LayerDigests parallel = LayerWriter.write(ChangeSet.of(tree), options.withGzipThreads(3), three);

    assertThat(parallel).isEqualTo(single);
    assertThat(three.toByteArray()).isEqualTo(one.toByteArray());
    assertThat(single.size()).isEqualTo(one.size());
    assertThat(single.mediaType()).isEqualTo("application/vnd.oci.image.layer.v1.tar+gzip");
  }

  @Test
  void doesRecordEveryEntryKindInDepthFirstByteOrderWhenReadBack() throws IOException {
    Path tree = temp.resolve("t");
    TestTrees.populate(tree, EPOCH);

    List<LayerEntry> entries = entries(tree, LayerWriteOptions.defaults());

    assertThat(entries).extracting(LayerEntry::path).startsWith("d".repeat(60)).contains("etc", "etc/conf.d", "etc/conf.d/app.conf");
    assertThat(entries)
        .filteredOn(e -> e.path().equals("usr/bin/tool-alias"))
        .singleElement()
        .isInstanceOfSatisfying(
            LayerEntry.Hardlink.class, h -> assertThat(h.target()).isEqualTo("usr/bin/tool"));
    assertThat(entries)
        .filteredOn(e -> e.path().equals("usr/bin/sh"))
        .singleElement()
        .isEqualTo(new LayerEntry.Symlink("usr/bin/sh", attributesOf(entries, "usr/bin/sh"), "/bin/busybox"));
    assertThat(entries)
        .filteredOn(e -> e.path().equals("etc/fifo"))
        .singleElement()
        .isInstanceOfSatisfying(
            LayerEntry.Device.class, d -> assertThat(d.kind()).isEqualTo(LayerEntry.DeviceKind.FIFO));
    LayerEntry.File hostname =
        (LayerEntry.File)
            entries.stream().filter(e -> e.path().equals("etc/hostname")).findFirst().orElseThrow();
    assertThat(hostname.attributes().xattrs().get("user.slipway.cap")).isEqualTo(TestTrees.CAPABILITY);
    assertThat(hostname.attributes().uname()).isEmpty();
    assertThat(attributesOf(entries, "usr/bin/tool").mode()).isEqualTo(04755);
    assertThat(attributesOf(entries, "var/empty").mode()).isEqualTo(01777);
    List<String> paths = entries.stream().map(LayerEntry::path).toList();
    assertThat(paths.indexOf("etc/conf.d/app.conf")).isLessThan(paths.indexOf("etc/fifo"));
  }

  @Test
  void doesPutOpaqueMarkerThenWhiteoutsFirstInTheirDirectoryWhenDeleting() throws IOException {
    Path tree = temp.resolve("t");
    Files.createDirectories(tree.resolve("app"));
    Files.writeString(tree.resolve("app/a"), "a");
    ChangeSet changes =
        new ChangeSet(
            tree,
            new TreeSet<>(List.of("app/z-old", "app/b-old", "gone/deep/file", "top")),
            new TreeSet<>(List.of("app")));

    List<LayerEntry> entries = new ArrayList<>();
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    LayerWriter.writeTar(changes, false, LayerWriteOptions.defaults(), tar);
    read(tar.toByteArray(), entries);

    assertThat(entries)
        .extracting(e -> e.getClass().getSimpleName() + " " + e.path())
        .containsExactly(
            "Whiteout top",
            "Directory app",
            "OpaqueMarker app",
            "Whiteout app/b-old",
            "Whiteout app/z-old",
            "File app/a",
            "Whiteout gone/deep/file");
  }

  @Test
  void doesRefuseSourceNamesThatLookLikeWhiteouts() throws IOException {
    Path tree = temp.resolve("t");
    Files.createDirectories(tree);
    Files.writeString(tree.resolve(".wh.sneaky"), "x");

    assertThatThrownBy(
            () -> LayerWriter.write(ChangeSet.of(tree), LayerWriteOptions.defaults(), new ByteArrayOutputStream()))
        .isInstanceOf(UnsupportedEntryException.class)
        .hasMessageContaining("\".wh.sneaky\"")
        .hasMessageContaining("reserved for whiteouts");
  }

  @Test
  void doesTranslateOverlayWhiteoutDevicesAndOpaqueXattrWhenWritingUpperDir() throws IOException {
    org.junit.jupiter.api.Assumptions.assumeTrue(NativeFiles.isRoot(), "needs root for mknod and trusted.* xattrs");
    Path upper = temp.resolve("upper");
    Files.createDirectories(upper.resolve("etc/opq"));
    Files.writeString(upper.resolve("etc/opq/kept"), "k");
    NativeFiles.mknod(upper.resolve("etc/removed"), NativeFiles.S_IFCHR, 0, 0, 0);
    assertThat(NativeFiles.writeXattr(upper.resolve("etc/opq"), "trusted.overlay.opaque", new byte[] {'y'}))
        .isTrue();

    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    LayerWriter.writeOverlayUpper(upper, LayerWriteOptions.defaults().withCompression(Compression.NONE, -1), tar);
    List<LayerEntry> entries = new ArrayList<>();
    read(tar.toByteArray(), entries);

    assertThat(entries)
        .extracting(e -> e.getClass().getSimpleName() + " " + e.path())
        .containsExactly(
            "Directory etc",
            "Whiteout etc/removed",
            "Directory etc/opq",
            "OpaqueMarker etc/opq",
            "File etc/opq/kept");
    assertThat(attributesOf(entries, "etc/opq").xattrs().isEmpty()).isTrue();
  }

  @Test
  void doesGiveTheSameDigestForAChangeWhetherFromOverlayUpperOrDeletionList() throws IOException {
    org.junit.jupiter.api.Assumptions.assumeTrue(NativeFiles.isRoot(), "needs root for mknod and trusted.* xattrs");
    Path upper = temp.resolve("upper");
    Files.createDirectories(upper.resolve("etc/opq"));
    Files.writeString(upper.resolve("etc/opq/kept"), "k");
    Files.writeString(upper.resolve("etc/z-new"), "n");
    NativeFiles.mknod(upper.resolve("etc/removed"), NativeFiles.S_IFCHR, 0, 0, 0);
    NativeFiles.writeXattr(upper.resolve("etc/opq"), "trusted.overlay.opaque", new byte[] {'y'});
    Path tree = temp.resolve("tree");
    Files.createDirectories(tree.resolve("etc/opq"));
    Files.writeString(tree.resolve("etc/opq/kept"), "k");
    Files.writeString(tree.resolve("etc/z-new"), "n");
    for (String dir : List.of("", "etc", "etc/opq")) {
      Files.setPosixFilePermissions(
          tree.resolve(dir), Files.getPosixFilePermissions(upper.resolve(dir)));
    }
    ChangeSet changes =
        new ChangeSet(tree, new TreeSet<>(List.of("etc/removed")), new TreeSet<>(List.of("etc/opq")));
    LayerWriteOptions options =
        LayerWriteOptions.defaults()
            .withCompression(Compression.NONE, -1)
            .withTimestamps(new TimestampPolicy.Rewrite(Instant.parse("2024-01-01T00:00:00Z")));

    LayerDigests fromUpper = LayerWriter.writeOverlayUpper(upper, options, new ByteArrayOutputStream());
    LayerDigests fromList = LayerWriter.write(changes, options, new ByteArrayOutputStream());

    assertThat(fromUpper.diffId()).isEqualTo(fromList.diffId());
  }

  @Test
  void doesUsePaxForLargeIdsAndKeepThemWhenReadBack() throws IOException {
    EntryAttributes attributes =
        new EntryAttributes(0640, 3_000_000, 4_000_000, "", "", Instant.parse("1960-01-01T00:00:00Z"), Xattrs.none());
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    try (LayerTarWriter writer = new LayerTarWriter(tar, Instant.EPOCH)) {
      writer.write(new LayerEntry.File("big-ids", attributes, 3), new ByteArrayInputStream(new byte[] {1, 2, 3}));
    }
    List<LayerEntry> entries = new ArrayList<>();
    read(tar.toByteArray(), entries);

    assertThat(entries).containsExactly(new LayerEntry.File("big-ids", attributes, 3));
    assertThat(tar.size() % 512).isZero();
  }

  @Test
  void doesUsePaxSizeForFilesOfEightGibibytesAndMore() throws IOException {
    long size = 10L << 30;
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    LayerTarWriter writer = new LayerTarWriter(tar, Instant.EPOCH);
    // Only the header matters here; the short content then fails the write, as it should.
    assertThatThrownBy(
            () -> writer.write(new LayerEntry.File("huge", EntryAttributes.DEFAULT_FILE, size), new ByteArrayInputStream(new byte[512])))
        .isInstanceOf(SourceChangedException.class);

    try (LayerReader reader = LayerReader.openTar(new ByteArrayInputStream(tar.toByteArray()))) {
      assertThat(reader.next()).contains(new LayerEntry.File("huge", EntryAttributes.DEFAULT_FILE, size));
      assertThat(reader.content().readNBytes(512)).hasSize(512);
      assertThatThrownBy(() -> reader.content().read())
          .isInstanceOf(MalformedLayerException.class)
          .hasMessage("\"huge\": archive truncated inside file content");
    }
    assertThat(new String(tar.toByteArray(), 0, 1024, java.nio.charset.StandardCharsets.ISO_8859_1))
        .contains("size=10737418240\n");
  }

  @Test
  void doesFailNamingTheFileWhenContentIsShorterThanDeclared() {
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    LayerTarWriter writer = new LayerTarWriter(tar, Instant.EPOCH);

    assertThatThrownBy(
            () -> writer.write(new LayerEntry.File("short", EntryAttributes.DEFAULT_FILE, 10), new ByteArrayInputStream(new byte[4])))
        .isInstanceOf(SourceChangedException.class)
        .hasMessage("\"short\": shrank while being written: 6 of 10 bytes missing");
  }

  private static EntryAttributes attributesOf(List<LayerEntry> entries, String path) {
    LayerEntry entry = entries.stream().filter(e -> e.path().equals(path)).findFirst().orElseThrow();
    return switch (entry) {
      case LayerEntry.File f -> f.attributes();
      case LayerEntry.Directory d -> d.attributes();
      case LayerEntry.Symlink s -> s.attributes();
      case LayerEntry.Hardlink h -> h.attributes();
      case LayerEntry.Device d -> d.attributes();
      case LayerEntry.Whiteout w -> throw new AssertionError(w);
      case LayerEntry.OpaqueMarker o -> throw new AssertionError(o);
    };
  }

  private static List<LayerEntry> entries(Path tree, LayerWriteOptions options) throws IOException {
    ByteArrayOutputStream layer = new ByteArrayOutputStream();
    LayerWriter.write(ChangeSet.of(tree), options, layer);
    List<LayerEntry> entries = new ArrayList<>();
    read(layer.toByteArray(), entries);
    return entries;
  }

  private static void read(byte[] layer, List<LayerEntry> into) throws IOException {
    try (LayerReader reader = LayerReader.open(new ByteArrayInputStream(layer))) {
      for (Optional<LayerEntry> e = reader.next(); e.isPresent(); e = reader.next()) {
        into.add(e.get());
      }
    }
  }
}
