package io.slipway.diff.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeDifferTest {
  @TempDir Path a;
  @TempDir Path b;

  private List<TreeChange> diff() throws IOException {
    List<TreeChange> changes = new ArrayList<>();
    new TreeDiffer().compare(a, b, changes::add);
    return changes;
  }

  private static List<String> summary(List<TreeChange> changes) {
    return changes.stream().map(c -> c.kind() + " " + c.path() + " " + c.aspects().stream().sorted().toList()).toList();
  }

  @Test
  void reportsNothingWhenTreesAreEqual() throws IOException {
    Files.writeString(a.resolve("same.txt"), "x");
    Files.writeString(b.resolve("same.txt"), "x");

    assertThat(diff()).isEmpty();
  }

  @Test
  void reportsAddedRemovedAndModifiedInPathOrder() throws IOException {
    Files.writeString(a.resolve("gone.txt"), "old");
    Files.writeString(b.resolve("new.txt"), "new");
    Files.writeString(a.resolve("edited.txt"), "abc");
    Files.writeString(b.resolve("edited.txt"), "abd");
    Files.writeString(a.resolve("grown.txt"), "abc");
    Files.writeString(b.resolve("grown.txt"), "abcd");

    assertThat(summary(diff()))
        .containsExactly(
            "MODIFIED edited.txt [CONTENT]",
            "REMOVED gone.txt []",
            "MODIFIED grown.txt [SIZE, CONTENT]",
            "ADDED new.txt []");
  }

  @Test
  void reportsModeChangeWhenFileIsChmodded() throws IOException {
    Files.writeString(a.resolve("run.sh"), "echo");
    Files.writeString(b.resolve("run.sh"), "echo");
    Files.setPosixFilePermissions(a.resolve("run.sh"), PosixFilePermissions.fromString("rw-r--r--"));
    Files.setPosixFilePermissions(b.resolve("run.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));

    List<TreeChange> changes = diff();

    assertThat(summary(changes)).containsExactly("MODIFIED run.sh [MODE]");
    assertThat(changes.get(0).before().octalMode()).isEqualTo("0644");
    assertThat(changes.get(0).after().octalMode()).isEqualTo("0755");
  }

  @Test
  void reportsLinkTargetWithoutFollowingLinks() throws IOException {
    Files.createSymbolicLink(a.resolve("current"), Path.of("v1"));
    Files.createSymbolicLink(b.resolve("current"), Path.of("v2"));

    List<TreeChange> changes = diff();

    assertThat(summary(changes)).containsExactly("MODIFIED current [LINK_TARGET]");
    assertThat(changes.get(0).after().linkTarget()).isEqualTo("v2");
  }

  @Test
  void reportsEveryEntryBelowWhenDirectoryIsRemoved() throws IOException {
    Files.createDirectories(a.resolve("etc/conf.d"));
    Files.writeString(a.resolve("etc/conf.d/one"), "1");
    Files.writeString(a.resolve("etc/two"), "2");

    assertThat(summary(diff()))
        .containsExactly("REMOVED etc []", "REMOVED etc/conf.d []", "REMOVED etc/conf.d/one []", "REMOVED etc/two []");
  }

  @Test
  void reportsTypeChangeAndNewContentsWhenFileBecomesDirectory() throws IOException {
    Files.writeString(a.resolve("data"), "file");
    Files.createDirectory(b.resolve("data"));
    Files.writeString(b.resolve("data/inside"), "x");

    List<TreeChange> changes = diff();

    assertThat(summary(changes)).containsExactly("MODIFIED data " + aspectsOf(changes.get(0)), "ADDED data/inside []");
    assertThat(changes.get(0).aspects()).contains(TreeChange.Aspect.TYPE);
  }

  private static String aspectsOf(TreeChange change) {
    return change.aspects().stream().sorted().toList().toString();
  }

  @Test
  void reportsOwnerChangeWhenRunAsRoot() throws IOException {
    Files.writeString(a.resolve("owned"), "x");
    Files.writeString(b.resolve("owned"), "x");
    org.junit.jupiter.api.Assumptions.assumeTrue(
        TreeDiffer.entry(a.resolve("owned")).uid() == 0, "changing owners needs root");
    Files.setAttribute(b.resolve("owned"), "unix:uid", 1234);

    assertThat(summary(diff())).containsExactly("MODIFIED owned [OWNER]");
  }

  @Test
  void namesPathWhenRootIsNotADirectory() throws IOException {
    Path file = Files.writeString(a.resolve("file"), "x");

    assertThatThrownBy(() -> new TreeDiffer().compare(file, b, change -> {}))
        .isInstanceOf(TreeInputException.class)
        .hasMessageContaining("file: is not a directory");
  }

  @Test
  void keepsAspectsImmutable() throws IOException {
    Files.writeString(a.resolve("f"), "1");
    Files.writeString(b.resolve("f"), "22");

    Set<TreeChange.Aspect> aspects = diff().get(0).aspects();

    assertThatThrownBy(() -> aspects.add(TreeChange.Aspect.MODE)).isInstanceOf(UnsupportedOperationException.class);
  }
}
