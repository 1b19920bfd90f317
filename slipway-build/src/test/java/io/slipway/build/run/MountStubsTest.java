package io.slipway.build.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MountStubsTest {

  @TempDir Path root;

  private static List<String> tree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      return paths.filter(p -> !p.equals(root)).map(p -> root.relativize(p).toString()).sorted()
          .toList();
    }
  }

  @Test
  void doesRemoveCreatedStubsAndRestoreParentTimesWhenCopying() throws IOException {
    Path etc = Files.createDirectories(root.resolve("etc"));
    FileTime before = FileTime.fromMillis(1_000_000L);
    Files.setLastModifiedTime(etc, before);

    MountStubs stubs =
        MountStubs.create(
            root,
            List.of(
                new MountStubs.Target("/etc/hosts", false),
                new MountStubs.Target("/proc", true),
                new MountStubs.Target("/run/secrets/token", false)));
    assertThat(root.resolve("etc/hosts")).isRegularFile();
    assertThat(root.resolve("run/secrets/token")).isRegularFile();

    stubs.remove(root, false);

    assertThat(tree(root)).containsExactly("etc");
    assertThat(Files.getLastModifiedTime(etc)).isEqualTo(before);
  }

  @Test
  void doesCreateNothingWhenTargetsExistThroughALink() throws IOException {
    Files.createDirectories(root.resolve("run/lock"));
    Files.createDirectories(root.resolve("var"));
    Files.createSymbolicLink(root.resolve("var/run"), Path.of("../run"));

    MountStubs stubs =
        MountStubs.create(root, List.of(new MountStubs.Target("/var/run/lock", true)));
    stubs.remove(root, false);

    assertThat(tree(root)).containsExactly("run", "run/lock", "var", "var/run");
  }

  @Test
  void doesKeepAStubDirectoryWhenTheStepPutFilesBesideTheMount() throws IOException {
    MountStubs stubs =
        MountStubs.create(root, List.of(new MountStubs.Target("/opt/cache/dir", true)));
    Files.writeString(root.resolve("opt/cache/real"), "made by the step");

    stubs.remove(root, false);

    assertThat(tree(root)).containsExactly("opt", "opt/cache", "opt/cache/real");
  }

  @Test
  void doesRemoveCopiedUpParentsWhenOverlayUpperHoldsOnlyStubs() throws IOException {
    // In an upper directory, a stub under an existing lower directory makes overlayfs copy the
    // directory up; here the "upper" is simulated by the same tree.
    Files.createDirectories(root.resolve("usr/local"));
    MountStubs stubs =
        MountStubs.create(root, List.of(new MountStubs.Target("/usr/local/cache", true)));

    stubs.remove(root, true);

    assertThat(tree(root)).isEmpty();
  }
}
