package io.slipway.build.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.testing.RequiresTool;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@RequiresTool(value = "busybox", debianPackage = "busybox-static")
class BuildEngineTest {

  @TempDir Path dir;

  @Test
  void buildsRootfsWithCopiedFilesWhenDockerfileHasNoRun() throws Exception {
    try (BuildFixture fixture = new BuildFixture(dir)) {
      fixture.file("a.txt", "hello\n");
      fixture.file("src/one.txt", "one\n");
      fixture.file("src/sub/two.txt", "two\n");
      Path rootfs = fixture.rootfs("""
          FROM busybox
          COPY a.txt /app/
          COPY src/ /app/src/
          WORKDIR /work
          ENV GREETING=hi
          CMD ["sh"]
          """);
      assertThat(rootfs.resolve("app/a.txt")).hasContent("hello");
      assertThat(rootfs.resolve("app/src/one.txt")).hasContent("one");
      assertThat(rootfs.resolve("app/src/sub/two.txt")).hasContent("two");
      assertThat(rootfs.resolve("work")).isDirectory();
      assertThat(Files.isSymbolicLink(rootfs.resolve("bin/sh"))).isTrue();
      assertThat(rootfs.resolve("bin/busybox")).exists();
      assertThat(Files.getAttribute(rootfs.resolve("app/a.txt"), "unix:uid",
          LinkOption.NOFOLLOW_LINKS)).isEqualTo(0);
    }
  }
}
