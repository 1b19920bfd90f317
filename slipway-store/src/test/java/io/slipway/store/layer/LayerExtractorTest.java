package io.slipway.store.layer;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.store.compress.Compression;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LayerExtractorTest {

  private static final Instant TIME = Instant.parse("2023-03-03T03:03:03Z");

  @TempDir Path temp;

  @ParameterizedTest
  @EnumSource(
      value = Compression.class,
      names = {"NONE", "GZIP", "ZSTD"})
  void doesReproduceTheTreeWhenWrittenThenExtracted(Compression compression) throws IOException {
    Path source = temp.resolve("source");
    Path target = temp.resolve("target");
    Files.createDirectories(target);
    TestTrees.populate(source, TIME);

    ByteArrayOutputStream layer = new ByteArrayOutputStream();
    LayerDigests digests =
        LayerWriter.write(
            ChangeSet.of(source),
            LayerWriteOptions.defaults().withCompression(compression, -1),
            layer);
    ExtractResult result =
        LayerExtractor.extract(
            new ByteArrayInputStream(layer.toByteArray()), target, ExtractOptions.forCurrentUser());

    assertThat(result.diffId()).isEqualTo(digests.diffId());
    assertThat(TestTrees.describe(target, true)).isEqualTo(TestTrees.describe(source, true));
    assertThat(Files.getAttribute(target.resolve("usr/bin/tool-alias"), "unix:ino"))
        .isEqualTo(Files.getAttribute(target.resolve("usr/bin/tool"), "unix:ino"));
  }

  @Test
  void doesApplyWhiteoutsAndOpaqueDirectoriesAgainstTheLayerBelow() throws IOException {
    Path lower = temp.resolve("lower");
    Files.createDirectories(lower.resolve("app/sub"));
    Files.writeString(lower.resolve("app/old"), "old");
    Files.writeString(lower.resolve("app/sub/deep"), "deep");
    Files.createDirectories(lower.resolve("data"));
    Files.writeString(lower.resolve("data/removed"), "r");
    Files.writeString(lower.resolve("data/kept"), "k");
    Files.createDirectories(lower.resolve("cache/x"));
    Path upper = temp.resolve("upper");
    Files.createDirectories(upper.resolve("app/sub"));
    Files.writeString(upper.resolve("app/new"), "new");
    Files.writeString(upper.resolve("app/sub/fresh"), "fresh");
    ChangeSet changes =
        new ChangeSet(
            upper, new TreeSet<>(List.of("data/removed", "cache")), new TreeSet<>(List.of("app")));
    Path root = temp.resolve("root");
    Files.createDirectories(root);

    extract(layer(ChangeSet.of(lower)), root);
    extract(layer(changes), root);

    assertThat(TestTrees.describe(root, false))
        .extracting(line -> line.substring(0, line.indexOf(' ')))
        .containsExactly("app", "app/new", "app/sub", "app/sub/fresh", "data", "data/kept");
  }

  @Test
  void doesKeepSameLayerEntriesWhenOpaqueMarkerComesAfterThem() throws IOException {
    Path root = temp.resolve("root");
    Files.createDirectories(root.resolve("dir"));
    Files.writeString(root.resolve("dir/lower"), "l");
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    try (LayerTarWriter writer = new LayerTarWriter(tar, Instant.EPOCH)) {
      writer.write(new LayerEntry.Directory("dir", EntryAttributes.DEFAULT_DIRECTORY));
      writer.write(new LayerEntry.File("dir/upper", EntryAttributes.DEFAULT_FILE, 0));
      writer.write(new LayerEntry.OpaqueMarker("dir"));
    }

    extract(tar.toByteArray(), root);

    assertThat(root.resolve("dir/upper")).exists();
    assertThat(root.resolve("dir/lower")).doesNotExist();
  }

  @Test
  void doesKeepSameLayerEntryWhenItsWhiteoutComesAfterIt() throws IOException {
    // OCI image spec, "Whiteouts": a whiteout applies only to lower layers; an entry in the same
    // layer can only be hidden by a whiteout in a later layer.
    Path root = temp.resolve("root");
    Files.createDirectories(root.resolve("dir"));
    Files.writeString(root.resolve("dir/lower"), "l");
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    try (LayerTarWriter writer = new LayerTarWriter(tar, Instant.EPOCH)) {
      writer.write(new LayerEntry.File("dir/upper", EntryAttributes.DEFAULT_FILE, 0));
      writer.write(new LayerEntry.Whiteout("dir/upper"));
      writer.write(new LayerEntry.Whiteout("dir/lower"));
    }

    extract(tar.toByteArray(), root);

    assertThat(root.resolve("dir/upper")).exists();
    assertThat(root.resolve("dir/lower")).doesNotExist();
  }

  @Test
  void doesReplaceASymlinkWithTheFileWhenAnEntryNamesTheLinkItself() throws IOException {
    Path root = temp.resolve("root");
    Path outside = temp.resolve("outside");
    Files.createDirectories(root);
    Files.createDirectories(outside);
    Files.writeString(outside.resolve("victim"), "original");
    Files.createSymbolicLink(root.resolve("link"), outside.resolve("victim"));
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    try (LayerTarWriter writer = new LayerTarWriter(tar, Instant.EPOCH)) {
      writer.write(new LayerEntry.File("link", EntryAttributes.DEFAULT_FILE, 5), new ByteArrayInputStream("owned".getBytes()));
    }

    extract(tar.toByteArray(), root);

    assertThat(Files.isSymbolicLink(root.resolve("link"))).isFalse();
    assertThat(root.resolve("link")).hasContent("owned");
    assertThat(outside.resolve("victim")).hasContent("original");
  }

  @Test
  void doesWriteThroughAnAbsoluteSymlinkInsideTheRootWhenParentIsALink() throws IOException {
    Path root = temp.resolve("root");
    Files.createDirectories(root.resolve("usr/lib"));
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    try (LayerTarWriter writer = new LayerTarWriter(tar, Instant.EPOCH)) {
      writer.write(new LayerEntry.Symlink("lib", EntryAttributes.ofMode(0777), "/usr/lib"));
      writer.write(new LayerEntry.File("lib/libc.so", EntryAttributes.DEFAULT_FILE, 1), new ByteArrayInputStream(new byte[] {7}));
    }

    extract(tar.toByteArray(), root);

    assertThat(root.resolve("usr/lib/libc.so")).exists();
    assertThat(Files.isSymbolicLink(root.resolve("lib"))).isTrue();
    assertThat(Path.of("/usr/lib/libc.so")).satisfiesAnyOf(
        p -> assertThat(p).doesNotExist(),
        p -> assertThat(Files.size(p)).isNotEqualTo(1L));
  }

  @Test
  void doesKeepOwnershipWhenRunningAsRoot() throws IOException {
    org.junit.jupiter.api.Assumptions.assumeTrue(NativeFiles.isRoot(), "chown needs root");
    Path root = temp.resolve("root");
    Files.createDirectories(root);
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    EntryAttributes owned = new EntryAttributes(02750, 1234, 5678, "", "", TIME, Xattrs.none());
    try (LayerTarWriter writer = new LayerTarWriter(tar, Instant.EPOCH)) {
      writer.write(new LayerEntry.Directory("d", owned));
      writer.write(new LayerEntry.File("d/f", owned.withMode(04711), 0));
      writer.write(new LayerEntry.Symlink("d/l", owned.withMode(0777), "f"));
      writer.write(new LayerEntry.Device("d/null", owned.withMode(0666), LayerEntry.DeviceKind.CHARACTER, 1, 3));
    }

    extract(tar.toByteArray(), root);

    assertThat(Files.getAttribute(root.resolve("d/f"), "unix:uid")).isEqualTo(1234);
    assertThat(Files.getAttribute(root.resolve("d/f"), "unix:mode")).isEqualTo(0104711);
    assertThat(Files.getAttribute(root.resolve("d"), "unix:mode")).isEqualTo(042750);
    assertThat(Files.getAttribute(root.resolve("d"), "unix:gid")).isEqualTo(5678);
    assertThat(Files.getLastModifiedTime(root.resolve("d")).toInstant()).isEqualTo(TIME);
    assertThat(Files.getAttribute(root.resolve("d/l"), "unix:uid", LinkOption.NOFOLLOW_LINKS)).isEqualTo(1234);
    assertThat(Files.getAttribute(root.resolve("d/null"), "unix:rdev")).isEqualTo(NativeFiles.makedev(1, 3));
  }

  @Test
  void doesSkipDevicesWhenNotAllowed() throws IOException {
    Path root = temp.resolve("root");
    Files.createDirectories(root);
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    try (LayerTarWriter writer = new LayerTarWriter(tar, Instant.EPOCH)) {
      writer.write(new LayerEntry.Device("null", EntryAttributes.ofMode(0666), LayerEntry.DeviceKind.CHARACTER, 1, 3));
    }

    ExtractResult result =
        LayerExtractor.extract(new ByteArrayInputStream(tar.toByteArray()), root, new ExtractOptions(false, false, true));

    assertThat(result.skippedDevices()).isEqualTo(1);
    assertThat(root.resolve("null")).doesNotExist();
  }

  @Test
  void doesWriteIntoReadOnlyLowerDirectoriesAndRestoreTheirModesWithoutChown() throws IOException {
    Path root = temp.resolve("root");
    Files.createDirectories(root);
    ExtractOptions unprivileged = new ExtractOptions(false, false, true);
    ByteArrayOutputStream lower = new ByteArrayOutputStream();
    try (LayerTarWriter writer = new LayerTarWriter(lower, Instant.EPOCH)) {
      writer.write(new LayerEntry.Directory("ro", EntryAttributes.ofMode(0555)));
      writer.write(new LayerEntry.Directory("ro/sub", EntryAttributes.ofMode(0555)));
      writer.write(new LayerEntry.File("ro/sub/f", EntryAttributes.ofMode(0444), 0));
      writer.write(new LayerEntry.File("ro/kept", EntryAttributes.ofMode(0444), 0));
    }
    ByteArrayOutputStream upper = new ByteArrayOutputStream();
    try (LayerTarWriter writer = new LayerTarWriter(upper, Instant.EPOCH)) {
      writer.write(new LayerEntry.Whiteout("ro/sub"));
      writer.write(new LayerEntry.File("ro/added", EntryAttributes.ofMode(0644), 0));
    }

    for (ByteArrayOutputStream layer : List.of(lower, upper)) {
      LayerExtractor.extract(new ByteArrayInputStream(layer.toByteArray()), root, unprivileged);
    }

    assertThat(TestTrees.describe(root, false))
        .containsExactly("ro 40555 0:0", "ro/added 100644 0:0 size=0 nlink=1 sha=" + EMPTY_SHA, "ro/kept 100444 0:0 size=0 nlink=1 sha=" + EMPTY_SHA);
  }

  private static final String EMPTY_SHA =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  @Test
  void doesWriteOverlayWhiteoutsAndOpaqueMarksWhenExtractingInOverlayFormat() throws IOException {
    org.junit.jupiter.api.Assumptions.assumeTrue(NativeFiles.isRoot(),
        "overlay format writes devices and trusted.* attributes, which need root");
    Path upper = temp.resolve("upper");
    Files.createDirectories(upper.resolve("app"));
    Files.writeString(upper.resolve("app/new"), "new");
    Files.createDirectories(upper.resolve("etc"));
    Files.writeString(upper.resolve("etc/back"), "back");
    // The layer deletes etc/old and etc/back (which it also adds: its own entry wins), and
    // replaces app.
    ChangeSet changes = new ChangeSet(upper,
        new TreeSet<>(List.of("etc/old", "etc/back", "gone")), new TreeSet<>(List.of("app")));
    Path root = Files.createDirectories(temp.resolve("root"));

    LayerExtractor.extract(new ByteArrayInputStream(layer(changes)), root,
        ExtractOptions.forCurrentUser().inOverlayFormat());

    for (String whiteout : List.of("etc/old", "gone")) {
      assertThat(Files.getAttribute(root.resolve(whiteout), "unix:mode", LinkOption.NOFOLLOW_LINKS))
          .as(whiteout).isEqualTo(0020000);
      assertThat(Files.getAttribute(root.resolve(whiteout), "unix:rdev", LinkOption.NOFOLLOW_LINKS))
          .as(whiteout).isEqualTo(0L);
    }
    assertThat(root.resolve("etc/back")).hasContent("back");
    assertThat(root.resolve("app/new")).hasContent("new");
    assertThat(OverlayFormat.isOpaque(root.resolve("app"))).isTrue();
    assertThat(OverlayFormat.isOpaque(root.resolve("etc"))).isFalse();
    assertThat(root.resolve("etc/old").getParent()).isDirectory();
  }

  private static byte[] layer(ChangeSet changes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    LayerWriter.write(changes, LayerWriteOptions.defaults(), out);
    return out.toByteArray();
  }

  private static void extract(byte[] layer, Path root) throws IOException {
    LayerExtractor.extract(new ByteArrayInputStream(layer), root, ExtractOptions.forCurrentUser());
  }
}
