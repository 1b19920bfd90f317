package io.slipway.build.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContextSelectionTest {

  @TempDir Path dir;

  @Test
  void scanDescribesEachKeptPathAsLstatSeesIt() throws Exception {
    Files.createDirectories(dir.resolve("d"));
    Files.writeString(dir.resolve("d/f.txt"), "12345");
    Files.setAttribute(dir.resolve("d/f.txt"), "unix:mode", 0640);
    Files.createSymbolicLink(dir.resolve("link"), Path.of("d/missing"));

    List<ContextEntry> entries = ContextSelection.scan(dir, Dockerignore.EMPTY);

    assertThat(entries).extracting(ContextEntry::path).containsExactly("d", "d/f.txt", "link");
    ContextEntry file = entries.get(1);
    assertThat(file.type()).isEqualTo(ContextEntry.Type.FILE);
    assertThat(file.size()).isEqualTo(5);
    assertThat(file.mode() & 07777).isEqualTo(0640);
    assertThat(file.inode())
        .isEqualTo(Files.getAttribute(dir.resolve("d/f.txt"), "unix:ino", LinkOption.NOFOLLOW_LINKS));
    assertThat(entries.get(0).type()).isEqualTo(ContextEntry.Type.DIRECTORY);
    // A dangling link is described, not followed.
    assertThat(entries.get(2).type()).isEqualTo(ContextEntry.Type.SYMLINK);
    assertThat(entries.get(2).linkTarget()).isEqualTo(Optional.of("d/missing"));
  }

  @Test
  void scanKeepsIgnoredParentOfReincludedFileWithItsAttributes() throws Exception {
    Files.createDirectories(dir.resolve("docs/deep"));
    Files.writeString(dir.resolve("docs/deep/keep.md"), "k");
    Files.writeString(dir.resolve("docs/drop.md"), "d");

    List<ContextEntry> entries = ContextSelection.scan(dir,
        Dockerignore.parse(".dockerignore", "docs\n!docs/deep/keep.md\n"));

    assertThat(entries).extracting(ContextEntry::path)
        .containsExactly("docs", "docs/deep", "docs/deep/keep.md");
    assertThat(entries.get(0).type()).isEqualTo(ContextEntry.Type.DIRECTORY);
    assertThat(entries.get(0).inode())
        .isEqualTo(Files.getAttribute(dir.resolve("docs"), "unix:ino", LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void scanListsPathsInStringOrderWhenSiblingNamesExtendADirectoryName() throws Exception {
    // "src.txt" and "src-b" sort between "src" and "src/a" ('-' and '.' come before '/'), which a
    // walk of each directory in name order does not give by itself.
    Files.createDirectories(dir.resolve("src/a"));
    Files.writeString(dir.resolve("src/a/f"), "f");
    Files.writeString(dir.resolve("src.txt"), "t");
    Files.createDirectories(dir.resolve("src-b"));
    Files.writeString(dir.resolve("src0"), "0");

    List<ContextEntry> entries = ContextSelection.scan(dir, Dockerignore.EMPTY);

    assertThat(entries).extracting(ContextEntry::path)
        .containsExactly("src", "src-b", "src.txt", "src/a", "src/a/f", "src0");
  }

  @Test
  void scanOfMissingContextNamesIt() {
    Path missing = dir.resolve("nope");
    assertThatThrownBy(() -> ContextSelection.scan(missing, Dockerignore.EMPTY))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining(missing.toString());
  }
}
