package io.slipway.build.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainedPathTest {

  @TempDir Path root;

  /** Links that point outside the directory are removed here, so the clean-up never sees them. */
  @AfterEach
  void removeLinks() throws IOException {
    try (var paths = Files.walk(root)) {
      for (Path path : paths.filter(Files::isSymbolicLink).toList()) {
        Files.delete(path);
      }
    }
  }

  @Test
  void doesStayInsideRootWhenLinkIsAbsolute() throws IOException {
    Files.createSymbolicLink(root.resolve("etc"), Path.of("/usr/etc"));

    assertThat(ContainedPath.resolve(root, "/etc/passwd"))
        .isEqualTo(root.resolve("usr/etc/passwd"));
  }

  @Test
  void doesStayInsideRootWhenDotDotClimbsAboveIt() throws IOException {
    Files.createDirectories(root.resolve("a"));
    Files.createSymbolicLink(root.resolve("a/up"), Path.of("../../../../tmp"));

    assertThat(ContainedPath.resolve(root, "/a/up/x")).isEqualTo(root.resolve("tmp/x"));
    assertThat(ContainedPath.resolve(root, "/../../x")).isEqualTo(root.resolve("x"));
  }

  @Test
  void doesFollowRelativeLinksWhenTheyPointSideways() throws IOException {
    Files.createDirectories(root.resolve("run"));
    Files.createDirectories(root.resolve("var"));
    Files.createSymbolicLink(root.resolve("var/run"), Path.of("../run"));

    assertThat(ContainedPath.resolve(root, "/var/run/secrets/a"))
        .isEqualTo(root.resolve("run/secrets/a"));
  }

  @Test
  void doesStopWhenLinksLoop() throws IOException {
    Files.createSymbolicLink(root.resolve("a"), Path.of("b"));
    Files.createSymbolicLink(root.resolve("b"), Path.of("a"));

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ContainedPath.resolve(root, "/a"))
        .isInstanceOf(java.nio.file.FileSystemLoopException.class);
  }

  @Test
  void doesReturnRootWhenPathIsSlash() throws IOException {
    assertThat(ContainedPath.resolve(root, "/")).isEqualTo(root);
  }
}
