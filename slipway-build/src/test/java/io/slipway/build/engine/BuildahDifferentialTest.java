package io.slipway.build.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.build.graph.BuildOptions;
import io.slipway.build.solver.SolveListener;
import io.slipway.testing.IntegrationTest;
import io.slipway.testing.RequiresTool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds RUN-free Dockerfiles with Slipway and with {@code buildah --isolation chroot} over the
 * same locally made busybox base, and compares the root file systems entry by entry: path, type,
 * permission bits, owner, link target and content (times are not compared).
 */
@IntegrationTest
@RequiresTool(value = {"buildah", "busybox"}, debianPackage = "buildah busybox-static")
class BuildahDifferentialTest {

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {
      "COPY src/ /app/\nWORKDIR /w\nENV X=1\n",
      "COPY src/a.txt /opt/renamed\nCOPY src/ /app/src/\nCOPY *.cfg /etc/conf/\n",
      "COPY --chown=1234:55 --chmod=640 src/a.txt /data/\nWORKDIR /data/sub\n",
      "COPY links /l/\nCOPY src/a.txt /l/inside/\n",
  })
  void producesSameRootfsAsBuildahWhenDockerfileHasNoRun(String steps) throws Exception {
    try (BuildFixture fixture = new BuildFixture(dir)) {
      fixture.file("src/a.txt", "a\n");
      fixture.file("src/deep/b.txt", "b\n");
      fixture.file("one.cfg", "1");
      fixture.file("two.cfg", "2");
      Files.createDirectories(fixture.context.resolve("links/inside"));
      Files.createSymbolicLink(fixture.context.resolve("links/rel"), Path.of("inside"));
      String dockerfile = "ARG BASE\nFROM $BASE\n" + steps;
      Files.writeString(fixture.context.resolve("Dockerfile"), dockerfile, StandardCharsets.UTF_8);

      Path ours = Files.createDirectories(dir.resolve("ours"));
      fixture.engine.build(fixture.request(dockerfile,
              new io.slipway.build.export.Output.LocalDirectory(ours,
                  io.slipway.build.export.Output.LayerSettings.DEFAULT))
              .withOptions(BuildOptions.defaults().withBuildArgs(Map.of("BASE", "busybox"))),
          SolveListener.NONE);

      String tag = "slipway-diff-" + System.nanoTime();
      String storage = dir.resolve("buildah").toString();
      List<String> buildah = List.of("buildah", "--root", storage + "/root", "--runroot",
          storage + "/run", "--storage-driver", "vfs");
      String container = null;
      try {
        run(concat(buildah, "bud", "--isolation", "chroot", "-q", "--build-arg",
            "BASE=oci:" + fixture.layout + ":latest", "-t", tag, fixture.context.toString()));
        container = run(concat(buildah, "from", "-q", tag)).strip();
        Path theirs = Path.of(run(concat(buildah, "mount", container)).strip());
        assertThat(describe(ours)).isEqualTo(describe(theirs));
      } finally {
        if (container != null) {
          run(concat(buildah, "rm", container));
        }
        run(concat(buildah, "rmi", "-a", "-f"));
      }
    }
  }

  private static List<String> concat(List<String> base, String... more) {
    List<String> result = new ArrayList<>(base);
    result.addAll(List.of(more));
    return result;
  }

  private static String run(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(process.exitValue()).as("%s: %s", command, output).isZero();
    return output;
  }

  /** One line per entry: path, type, mode, owner, link target or content hash. */
  private static Map<String, String> describe(Path root) throws Exception {
    Map<String, String> entries = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path path : walk.toList()) {
        String relative = root.relativize(path).toString();
        if (relative.isEmpty()) {
          // The root's own mode is the mount point's (buildah mounts 0555), not image content.
          continue;
        }
        int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        int uid = (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        int gid = (Integer) Files.getAttribute(path, "unix:gid", LinkOption.NOFOLLOW_LINKS);
        String detail;
        if (Files.isSymbolicLink(path)) {
          detail = "link " + Files.readSymbolicLink(path);
        } else if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
          detail = "dir";
        } else {
          detail = "file " + HexFormat.of().formatHex(
              MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(path)));
        }
        String permissions = Files.isSymbolicLink(path) ? "" : Integer.toOctalString(mode & 07777);
        entries.put(relative,
            detail + " " + permissions + " " + uid + ":" + gid);
      }
    }
    return entries;
  }
}
