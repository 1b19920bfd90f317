package io.slipway.store.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Archives crafted to escape the extraction root, built with Commons Compress so that the names
 * are exactly as hostile as written. Each test asserts the precise error and that nothing outside
 * the root changed.
 */
class HostileLayerTest {

  @TempDir Path temp;
  private Path root;
  private Path outside;

  @BeforeEach
  void layOut() throws IOException {
    root = Files.createDirectories(temp.resolve("root"));
    outside = Files.createDirectories(temp.resolve("outside"));
    Files.writeString(outside.resolve("secret"), "secret");
  }

  @Test
  void refusesDotDotNameWithoutWritingOutside() throws IOException {
    byte[] layer = tar(file("../escaped", "x"));

    assertThatThrownBy(() -> extract(layer))
        .isInstanceOf(UnsafeEntryException.class)
        .hasMessage("\"../escaped\": name has a \"..\" component");
    assertUntouchedOutside();
  }

  @Test
  void refusesDotDotInTheMiddleOfAName() throws IOException {
    byte[] layer = tar(file("a/../../escaped", "x"));

    assertThatThrownBy(() -> extract(layer))
        .isInstanceOf(UnsafeEntryException.class)
        .hasMessage("\"a/../../escaped\": name has a \"..\" component");
    assertUntouchedOutside();
  }

  @Test
  void refusesAbsoluteName() throws IOException {
    String name = "/tmp/slipway-escape-" + UUID.randomUUID();
    byte[] layer = tar(file(name, "x"));

    assertThatThrownBy(() -> extract(layer))
        .isInstanceOf(UnsafeEntryException.class)
        .hasMessage("\"" + name + "\": absolute name; layer entries must be relative to the root");
    assertThat(Path.of(name)).doesNotExist();
    assertUntouchedOutside();
  }

  @Test
  void refusesWritingThroughASymlinkThatClimbsOutOfTheRoot() throws IOException {
    byte[] layer = tar(symlink("link", "../outside"), file("link/pwned", "x"));

    assertThatThrownBy(() -> extract(layer))
        .isInstanceOf(UnsafeEntryException.class)
        .hasMessage("\"link/pwned\": a symlink on the way leads outside the extraction root");
    assertUntouchedOutside();
    assertThat(Files.isSymbolicLink(root.resolve("link"))).isTrue();
  }

  @Test
  void refusesWritingThroughAChainOfSymlinksThatClimbsOut() throws IOException {
    byte[] layer =
        tar(symlink("a", "b/c"), symlink("b", "."), symlink("c", "../../../.."), file("a/pwned", "x"));

    assertThatThrownBy(() -> extract(layer))
        .isInstanceOf(UnsafeEntryException.class)
        .hasMessage("\"a/pwned\": a symlink on the way leads outside the extraction root");
    assertUntouchedOutside();
  }

  @Test
  void keepsWritesInsideTheRootWhenAnAbsoluteSymlinkIsWrittenThrough() throws IOException {
    String name = "slipway-escape-" + UUID.randomUUID();
    byte[] layer = tar(symlink("evil", "/"), file("evil/etc/" + name, "x"));

    extract(layer);

    assertThat(root.resolve("etc/" + name)).hasContent("x");
    assertThat(Path.of("/etc", name)).doesNotExist();
    assertUntouchedOutside();
  }

  @Test
  void refusesSymlinkLoopsOnTheWay() throws IOException {
    byte[] layer = tar(symlink("loop", "/loop"), file("loop/x", "x"));

    assertThatThrownBy(() -> extract(layer))
        .isInstanceOf(UnsafeEntryException.class)
        .hasMessage("\"loop/x\": too many symlinks on the way");
    assertUntouchedOutside();
  }

  @Test
  void refusesHardlinkWhoseTargetClimbsOut() throws IOException {
    byte[] layer = tar(hardlink("h", "../outside/secret"));

    assertThatThrownBy(() -> extract(layer))
        .isInstanceOf(UnsafeEntryException.class)
        .hasMessage("\"h\": hard link target \"../outside/secret\": name has a \"..\" component");
    assertUntouchedOutside();
    assertThat(Files.getAttribute(outside.resolve("secret"), "unix:nlink")).isEqualTo(1);
  }

  @Test
  void refusesHardlinkThroughASymlinkThatClimbsOut() throws IOException {
    byte[] layer = tar(symlink("s", "../outside"), hardlink("h", "s/secret"));

    assertThatThrownBy(() -> extract(layer))
        .isInstanceOf(UnsafeEntryException.class)
        .hasMessage("\"h\": a symlink on the way leads outside the extraction root");
    assertThat(root.resolve("h")).doesNotExist();
    assertThat(Files.getAttribute(outside.resolve("secret"), "unix:nlink")).isEqualTo(1);
  }

  @Test
  void refusesHardlinkToAHostFileThroughAnAbsoluteSymlink() throws IOException {
    Object before = Files.getAttribute(Path.of("/etc/passwd"), "unix:nlink");
    byte[] layer = tar(symlink("s", "/etc"), hardlink("h", "s/passwd"));

    assertThatThrownBy(() -> extract(layer))
        .isInstanceOf(MalformedLayerException.class)
        .hasMessage("\"h\": hard link target \"s/passwd\" does not exist in the root");
    assertThat(Files.getAttribute(Path.of("/etc/passwd"), "unix:nlink")).isEqualTo(before);
    assertThat(root.resolve("h")).doesNotExist();
  }

  @Test
  void refusesWhiteoutThroughASymlinkThatClimbsOut() throws IOException {
    byte[] layer = tar(symlink("s", "../outside"), file("s/.wh.secret", ""));

    assertThatThrownBy(() -> extract(layer))
        .isInstanceOf(UnsafeEntryException.class)
        .hasMessage("\"s/secret\": a symlink on the way leads outside the extraction root");
    assertUntouchedOutside();
  }

  @Test
  void refusesOpaqueMarkerThroughASymlinkThatClimbsOut() throws IOException {
    byte[] layer = tar(symlink("s", "../outside"), file("s/.wh..wh..opq", ""));

    assertThatThrownBy(() -> extract(layer))
        .isInstanceOf(UnsafeEntryException.class)
        .hasMessage("\"s\": a symlink on the way leads outside the extraction root");
    assertUntouchedOutside();
  }

  @Test
  void refusesCorruptedHeaderWithItsName() throws IOException {
    byte[] layer = tar(file("ok", "x"));
    layer[100] = '9';

    assertThatThrownBy(() -> extract(layer))
        .isInstanceOf(MalformedLayerException.class)
        .hasMessage("\"ok\": header checksum mismatch (not a tar, or corrupted)");
  }

  @Test
  void refusesTruncatedContent() throws IOException {
    byte[] whole = tar(file("big", "y".repeat(2000)));
    byte[] layer = java.util.Arrays.copyOf(whole, 1024);

    assertThatThrownBy(() -> extract(layer))
        .isInstanceOf(MalformedLayerException.class)
        .hasMessage("\"big\": archive truncated inside file content");
  }

  private void assertUntouchedOutside() throws IOException {
    try (Stream<Path> files = Files.list(outside)) {
      assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("secret");
    }
    assertThat(outside.resolve("secret")).hasContent("secret");
    try (Stream<Path> files = Files.list(temp)) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
          .containsExactly("outside", "root");
    }
  }

  private void extract(byte[] layer) throws IOException {
    LayerExtractor.extract(new ByteArrayInputStream(layer), root, ExtractOptions.forCurrentUser());
  }

  private record Item(TarArchiveEntry entry, byte[] content) {}

  private static Item file(String name, String content) {
    TarArchiveEntry entry = new TarArchiveEntry(name, true);
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    entry.setSize(bytes.length);
    return new Item(entry, bytes);
  }

  private static Item symlink(String name, String target) {
    TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
    entry.setLinkName(target);
    return new Item(entry, new byte[0]);
  }

  private static Item hardlink(String name, String target) {
    TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_LINK, true);
    entry.setLinkName(target);
    return new Item(entry, new byte[0]);
  }

  private static byte[] tar(Item... items) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Item item : List.of(items)) {
        tar.putArchiveEntry(item.entry());
        tar.write(item.content());
        tar.closeArchiveEntry();
      }
    }
    return out.toByteArray();
  }
}
