package io.slipway.build.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CopyDiffTest {

  @TempDir Path work;

  private Path lower;
  private Path copy;

  @BeforeEach
  void setUp() throws Exception {
    lower = Files.createDirectories(work.resolve("lower"));
    Files.createDirectories(lower.resolve("etc/conf.d"));
    Files.writeString(lower.resolve("etc/motd"), "hello\n");
    Files.writeString(lower.resolve("etc/conf.d/a"), "a\n");
    Files.createDirectories(lower.resolve("usr/bin"));
    Files.writeString(lower.resolve("usr/bin/tool"), "#!/bin/sh\n");
    Files.createSymbolicLink(lower.resolve("usr/bin/alias"), Path.of("tool"));
    Files.createDirectories(lower.resolve("var/old"));
    Files.writeString(lower.resolve("var/old/x"), "x\n");
    copy = work.resolve("copy");
    RootfsMount.copyTree(lower, copy);
  }

  private static List<String> tree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      return paths.filter(p -> !p.equals(root)).map(p -> root.relativize(p).toString()).sorted()
          .toList();
    }
  }

  @Test
  void doesLeaveNothingWhenTheCopyIsUnchanged() throws IOException {
    assertThat(CopyDiff.prune(lower, copy)).isEmpty();
    assertThat(tree(copy)).isEmpty();
  }

  @Test
  void doesKeepAdditionsAndChangesWithTheirParentsWhenFilesChange() throws IOException {
    Files.writeString(copy.resolve("etc/conf.d/b"), "b\n");
    Files.writeString(copy.resolve("usr/bin/tool"), "#!/bin/bash\n");
    Files.setLastModifiedTime(
        copy.resolve("usr/bin"), Files.getLastModifiedTime(lower.resolve("usr/bin")));

    assertThat(CopyDiff.prune(lower, copy)).isEmpty();
    assertThat(tree(copy))
        .containsExactly("etc", "etc/conf.d", "etc/conf.d/b", "usr", "usr/bin", "usr/bin/tool");
  }

  @Test
  void doesReportTopmostDeletionsWhenTreesAreRemoved() throws IOException {
    Files.delete(copy.resolve("var/old/x"));
    Files.delete(copy.resolve("var/old"));
    Files.delete(copy.resolve("usr/bin/alias"));

    assertThat(CopyDiff.prune(lower, copy)).containsExactly("usr/bin/alias", "var/old");
  }

  @Test
  void doesKeepAFileWhenOnlyItsModeOrTimeChanged() throws IOException {
    Files.setAttribute(copy.resolve("etc/motd"), "unix:mode", 0600);
    Files.setLastModifiedTime(copy.resolve("usr/bin/tool"), FileTime.fromMillis(0));

    CopyDiff.prune(lower, copy);

    assertThat(tree(copy)).contains("etc/motd", "usr/bin/tool");
  }

  @Test
  void doesKeepAReplacementWhenTheTypeChanged() throws IOException {
    Files.delete(copy.resolve("usr/bin/alias"));
    Files.writeString(copy.resolve("usr/bin/alias"), "now a file\n");

    assertThat(CopyDiff.prune(lower, copy)).isEmpty();
    assertThat(copy.resolve("usr/bin/alias")).hasContent("now a file");
  }
}
