package io.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InvocationTest {
  @TempDir Path dir;

  private Invocation in(Path workingDirectory) {
    return new Invocation.Local(new CliEnvironment(Map.of()), workingDirectory);
  }

  @Test
  void doesFollowSymlinkBeforeDotDotWhenPathCrossesLink() throws IOException {
    Path work = Files.createDirectories(dir.resolve("work"));
    Path elsewhere = Files.createDirectories(dir.resolve("elsewhere/sub"));
    Files.createSymbolicLink(work.resolve("link"), elsewhere);
    Files.writeString(work.resolve("Dockerfile"), "FROM work\n");
    Files.writeString(elsewhere.resolveSibling("Dockerfile"), "FROM elsewhere\n");

    Path resolved = in(work).resolve("link/../Dockerfile");

    // What `cat link/../Dockerfile` in work reads: the one beside the link's target.
    assertThat(Files.readString(resolved)).isEqualTo("FROM elsewhere\n");
    assertThat(resolved.toRealPath())
        .isEqualTo(elsewhere.resolveSibling("Dockerfile").toRealPath());
  }

  @Test
  void doesKeepAbsolutePathAsGivenWhenPathIsAbsolute() {
    assertThat(in(dir).resolve("/srv/link/../Dockerfile"))
        .isEqualTo(Path.of("/srv/link/../Dockerfile"));
  }

  @Test
  void doesResolveAgainstWorkingDirectoryWhenPathIsRelative() {
    assertThat(in(dir).resolve(Path.of("ctx/Dockerfile")))
        .isEqualTo(dir.resolve("ctx").resolve("Dockerfile"));
  }

  @Test
  void doesRefuseRelativeWorkingDirectoryWhenLocalIsMade() {
    assertThatThrownBy(() -> in(Path.of("relative")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("working directory must be absolute: relative");
  }

  @Test
  void doesUseProcessWorkingDirectoryWhenInvocationIsThisProcess() {
    assertThat(Invocation.local().workingDirectory()).isEqualTo(Path.of("").toAbsolutePath());
  }
}
