package io.slipway.build.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.build.solver.SolveException;
import io.slipway.testing.RequiresTool;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@RequiresTool(value = "busybox", debianPackage = "busybox-static")
class CopyRulesTest {

  @TempDir Path dir;

  private static int attribute(Path path, String name) throws IOException {
    return (Integer) Files.getAttribute(path, "unix:" + name, LinkOption.NOFOLLOW_LINKS);
  }

  @Test
  void copiesWildcardMatchesIntoDirectoryWhenDestinationEndsWithSlash() throws Exception {
    try (BuildFixture fixture = new BuildFixture(dir)) {
      fixture.file("one.txt", "1");
      fixture.file("two.txt", "2");
      fixture.file("three.md", "3");
      Path rootfs = fixture.rootfs("FROM busybox\nCOPY *.txt /docs/\n");
      assertThat(rootfs.resolve("docs/one.txt")).hasContent("1");
      assertThat(rootfs.resolve("docs/two.txt")).hasContent("2");
      assertThat(rootfs.resolve("docs/three.md")).doesNotExist();
    }
  }

  @Test
  void failsNamingSourceWhenWildcardMatchesNothing() throws Exception {
    try (BuildFixture fixture = new BuildFixture(dir)) {
      assertThatThrownBy(() -> fixture.build("FROM busybox\nCOPY *.none /x/\n"))
          .isInstanceOf(SolveException.class)
          .hasMessageContaining("COPY *.none /x/")
          .hasMessageContaining("no source files were specified");
    }
  }

  @Test
  void renamesFileWhenDestinationHasNoTrailingSlash() throws Exception {
    try (BuildFixture fixture = new BuildFixture(dir)) {
      fixture.file("a.txt", "a");
      Path rootfs = fixture.rootfs("FROM busybox\nCOPY a.txt /opt/renamed\n");
      assertThat(rootfs.resolve("opt/renamed")).isRegularFile().hasContent("a");
    }
  }

  @Test
  void copiesDirectoryContentsNotDirectoryItself() throws Exception {
    try (BuildFixture fixture = new BuildFixture(dir)) {
      fixture.file("src/x/y.txt", "y");
      Path rootfs = fixture.rootfs("FROM busybox\nCOPY src /dst\n");
      assertThat(rootfs.resolve("dst/x/y.txt")).hasContent("y");
      assertThat(rootfs.resolve("dst/src")).doesNotExist();
    }
  }

  @Test
  void keepsSourcePathsWhenParentsIsSet() throws Exception {
    try (BuildFixture fixture = new BuildFixture(dir)) {
      fixture.file("a/b/c.txt", "c");
      Path rootfs = fixture.rootfs("FROM busybox\nCOPY --parents a/b/c.txt /out/\n");
      assertThat(rootfs.resolve("out/a/b/c.txt")).hasContent("c");
    }
  }

  @Test
  void dropsExcludedPathsWhenExcludeIsSet() throws Exception {
    try (BuildFixture fixture = new BuildFixture(dir)) {
      fixture.file("src/keep.txt", "k");
      fixture.file("src/drop.log", "d");
      Path rootfs = fixture.rootfs("FROM busybox\nCOPY --exclude=*.log src /src/\n");
      assertThat(rootfs.resolve("src/keep.txt")).exists();
      assertThat(rootfs.resolve("src/drop.log")).doesNotExist();
    }
  }

  @Test
  void resolvesChownNamesFromTargetPasswdAndGroup() throws Exception {
    try (BuildFixture fixture = new BuildFixture(dir)) {
      fixture.file("passwd", "root:x:0:0:root:/root:/bin/sh\napp:x:1234:1234::/home/app:/bin/sh\n");
      fixture.file("group", "root:x:0:\nstaff:x:50:\n");
      fixture.file("a.txt", "a");
      Path rootfs = fixture.rootfs("""
          FROM busybox
          COPY passwd group /etc/
          COPY --chown=app:staff --chmod=600 a.txt /home/app/
          """);
      Path copied = rootfs.resolve("home/app/a.txt");
      assertThat(attribute(copied, "uid")).isEqualTo(1234);
      assertThat(attribute(copied, "gid")).isEqualTo(50);
      assertThat(attribute(copied, "mode") & 07777).isEqualTo(0600);
    }
  }

  @Test
  void givesNamedUserWithoutGroupItsPasswdGroupAndNumericUserItsUid() throws Exception {
    try (BuildFixture fixture = new BuildFixture(dir)) {
      fixture.file("passwd", "root:x:0:0:root:/root:/bin/sh\napp:x:1234:50::/home/app:/bin/sh\n");
      fixture.file("a.txt", "a");
      Path rootfs = fixture.rootfs("""
          FROM busybox
          COPY passwd /etc/
          COPY --chown=app a.txt /named/
          COPY --chown=77 a.txt /numeric/
          USER app
          WORKDIR /work
          """);
      assertThat(attribute(rootfs.resolve("named/a.txt"), "uid")).isEqualTo(1234);
      assertThat(attribute(rootfs.resolve("named/a.txt"), "gid")).isEqualTo(50);
      assertThat(attribute(rootfs.resolve("numeric/a.txt"), "gid")).isEqualTo(77);
      assertThat(attribute(rootfs.resolve("work"), "uid")).isEqualTo(1234);
      assertThat(attribute(rootfs.resolve("work"), "gid")).isEqualTo(50);
    }
  }

  @Test
  void failsNamingUserWhenTargetDoesNotKnowIt() throws Exception {
    try (BuildFixture fixture = new BuildFixture(dir)) {
      fixture.file("a.txt", "a");
      assertThatThrownBy(() -> fixture.build("FROM busybox\nCOPY --chown=nobody a.txt /\n"))
          .isInstanceOf(SolveException.class)
          .hasMessageContaining("unable to find user nobody");
    }
  }

  @Test
  void copiesFromEarlierStageKeepingOwners() throws Exception {
    try (BuildFixture fixture = new BuildFixture(dir)) {
      fixture.file("a.txt", "a");
      Path rootfs = fixture.rootfs("""
          FROM busybox AS build
          COPY --chown=77:88 a.txt /out/a.txt
          FROM scratch
          COPY --from=build /out/ /
          """);
      assertThat(rootfs.resolve("a.txt")).hasContent("a");
      assertThat(attribute(rootfs.resolve("a.txt"), "uid")).isEqualTo(77);
      assertThat(rootfs.resolve("bin")).doesNotExist();
    }
  }

  @Test
  void extractsLocalGzipTarWhenAdded() throws Exception {
    try (BuildFixture fixture = new BuildFixture(dir)) {
      try (OutputStream out = Files.newOutputStream(fixture.context.resolve("files.tar.gz"));
          TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(out))) {
        byte[] content = "inside".getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry("pkg/readme.txt");
        entry.setSize(content.length);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
      }
      Path rootfs = fixture.rootfs("FROM busybox\nADD files.tar.gz /opt/\nCOPY files.tar.gz /raw/\n");
      assertThat(rootfs.resolve("opt/pkg/readme.txt")).hasContent("inside");
      assertThat(rootfs.resolve("raw/files.tar.gz")).isRegularFile();
    }
  }

  @Test
  void makesLinkedCopyLayerIndependentOfBase() throws Exception {
    try (BuildFixture fixture = new BuildFixture(dir)) {
      fixture.file("a.txt", "a");
      BuildResult linked = fixture.build("FROM busybox\nCOPY --link a.txt /a.txt\n");
      BuildResult onScratch = fixture.build("FROM scratch\nCOPY --link a.txt /a.txt\n");
      assertThat(linked.image().layers().getLast())
          .isEqualTo(onScratch.image().layers().getLast());
    }
  }

  @Test
  void createsWorkdirAndWritesHeredocFile() throws Exception {
    try (BuildFixture fixture = new BuildFixture(dir)) {
      Path rootfs = fixture.rootfs("""
          FROM busybox
          WORKDIR /srv/app
          COPY <<EOF note.txt
          hello
          EOF
          """);
      assertThat(rootfs.resolve("srv/app")).isDirectory();
      assertThat(rootfs.resolve("srv/app/note.txt")).hasContent("hello");
    }
  }

  @Test
  void staysInsideRootWhenCopyingThroughSymlinkInTarget() throws Exception {
    try (BuildFixture fixture = new BuildFixture(dir)) {
      Path outside = dir.resolve("outside");
      Files.createDirectories(fixture.context.resolve("links"));
      Files.createSymbolicLink(fixture.context.resolve("links/escape"),
          Path.of("../../../../../../../../.." + outside));
      Files.createSymbolicLink(fixture.context.resolve("links/absolute"), Path.of("/"));
      fixture.file("payload.txt", "p");
      Path rootfs = fixture.rootfs("""
          FROM busybox
          COPY links /
          COPY payload.txt /escape/
          COPY payload.txt /absolute/etc/
          """);
      assertThat(outside).doesNotExist();
      assertThat(rootfs.resolve(outside.toString().substring(1)).resolve("payload.txt"))
          .hasContent("p");
      assertThat(rootfs.resolve("etc/payload.txt")).hasContent("p");
    }
  }
}
