package io.slipway.build.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.build.export.Output;
import io.slipway.build.graph.BuildOptions;
import io.slipway.build.solver.Executor;
import io.slipway.build.solver.SolveListener;
import io.slipway.oci.ImageConfig;
import io.slipway.testing.IntegrationTest;
import io.slipway.testing.RequiresTool;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Builds Dockerfiles with Slipway and with {@code buildah --isolation chroot} over the same locally
 * made busybox base, and compares the root file systems entry by entry (path, type, permission
 * bits, owner, link target, hard-link group and content; times are not compared) and the image
 * configs on what a container runs with (env, entrypoint, cmd, user, working directory, labels,
 * exposed ports).
 *
 * <p>RUN-free Dockerfiles need no runtime; the Dockerfiles under {@code differential/} run RUN
 * steps in runc on Slipway's side and need root.
 *
 * <p>Justified differences, left out of the comparison: times; the empty mount points buildah's
 * chroot isolation leaves when the base lacks them ({@link BuildahPeer#RUN_MOUNT_POINTS}); the
 * order of Env. Two hard-link cases are not compared because buildah's vfs storage and an overlay
 * snapshotter (Slipway's, and the reference builder's) disagree on them by design; {@link
 * #keepsOverlaySemanticsForHardLinksAcrossSteps} pins Slipway's behaviour instead.
 */
@IntegrationTest
@RequiresTool(value = {"buildah", "busybox"}, debianPackage = "buildah busybox-static")
class BuildahDifferentialTest {

  /** How {@link RootfsListing} describes an empty file's content: SHA-256 of no bytes. */
  private static final String EMPTY_SHA256 =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

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
      assertSameAsBuildah(fixture, "ARG BASE\nFROM $BASE\n" + steps);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"whiteouts", "modes", "links", "users", "shell-env"})
  @RequiresTool(value = "runc", debianPackage = "runc")
  void producesSameImageAsBuildahWhenDockerfileRuns(String name) throws Exception {
    Executor runc = RuncSteps.open(dir.resolve("run"));
    try (BuildFixture fixture = new BuildFixture(dir, dir.resolve("state"), runc)) {
      assertSameAsBuildah(fixture, dockerfile(name));
    }
  }

  /**
   * A hard link made to a file of a lower layer is a hard link in the image (buildah's squashed
   * layer drops it: the lower file is unchanged, so its diff holds the new name as a copy); and a
   * write through one name of a hard-linked lower file copies that name up alone, as overlayfs does
   * without its inode index, so the other names keep the old content (buildah's vfs storage writes
   * through to every name).
   */
  @Test
  @RequiresTool(value = "runc", debianPackage = "runc")
  void keepsOverlaySemanticsForHardLinksAcrossSteps() throws Exception {
    Executor runc = RuncSteps.open(dir.resolve("run"));
    try (BuildFixture fixture = new BuildFixture(dir, dir.resolve("state"), runc)) {
      Path ours = Files.createDirectories(dir.resolve("ours"));
      fixture.build("""
          FROM busybox
          RUN mkdir /l && echo old > /l/a && ln /l/a /l/b
          RUN ln /bin/busybox /bin/bb && echo new >> /l/b
          """, new Output.LocalDirectory(ours, Output.LayerSettings.DEFAULT));
      Map<String, String> entries = RootfsListing.describe(ours);
      assertThat(entries.get("bin/bb")).endsWith(" hardlink-of bin/bb");
      assertThat(entries.get("bin/busybox")).endsWith(" hardlink-of bin/bb");
      assertThat(Files.readString(ours.resolve("l/a"))).isEqualTo("old\n");
      assertThat(Files.readString(ours.resolve("l/b"))).isEqualTo("old\nnew\n");
      assertThat(entries.get("l/a")).doesNotContain("hardlink-of");
    }
  }

  private static String dockerfile(String name) throws IOException {
    String resource = "differential/" + name + ".Dockerfile";
    try (InputStream in = BuildahDifferentialTest.class.getResourceAsStream(resource)) {
      assertThat(in).as("test resource %s", resource).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private void assertSameAsBuildah(BuildFixture fixture, String dockerfile) throws Exception {
    Files.writeString(fixture.context.resolve("Dockerfile"), dockerfile, StandardCharsets.UTF_8);
    Path ours = Files.createDirectories(dir.resolve("ours"));
    BuildResult result = fixture.engine.build(fixture.request(dockerfile,
            new Output.LocalDirectory(ours, Output.LayerSettings.DEFAULT))
            .withOptions(BuildOptions.defaults().withBuildArgs(Map.of("BASE", "busybox"))),
        SolveListener.NONE);

    try (BuildahPeer buildah = new BuildahPeer(dir.resolve("buildah"))) {
      BuildahPeer.Image theirs = buildah.build(fixture.context,
          Map.of("BASE", "oci:" + fixture.layout + ":latest"));
      Map<String, String> ourEntries = RootfsListing.describe(ours);
      Map<String, String> theirEntries =
          withoutRunMountPoints(RootfsListing.describe(theirs.rootfs()), ourEntries.keySet());
      assertThat(ourEntries).isEqualTo(theirEntries);
      assertThat(runSettings(result.image().configValue()))
          .isEqualTo(runSettings(theirs.config()));
    }
  }

  /**
   * Buildah's entries less the empty mount points its RUN isolation leaves where the base had
   * none ({@link BuildahPeer#RUN_MOUNT_POINTS}); a mount point with content, or one Slipway also
   * has, stays and is compared.
   */
  private static Map<String, String> withoutRunMountPoints(
      Map<String, String> entries, Set<String> ours) {
    Map<String, String> kept = new TreeMap<>(entries);
    for (String path : BuildahPeer.RUN_MOUNT_POINTS) {
      String entry = entries.get(path);
      if (entry == null || ours.contains(path)) {
        continue;
      }
      boolean emptyDirectory = entry.startsWith("dir ")
          && entries.keySet().stream().noneMatch(p -> p.startsWith(path + "/"));
      boolean emptyFile = entry.startsWith("file " + EMPTY_SHA256 + " ");
      if (emptyDirectory || emptyFile) {
        kept.remove(path);
      }
    }
    return kept;
  }

  /** What a container of the image runs with, as one comparable map. */
  private static Map<String, Object> runSettings(ImageConfig config) {
    ImageConfig.RunConfig run = config.config();
    Map<String, Object> settings = new TreeMap<>();
    // By name: the order of Env is not meaningful, and the builders differ on it (buildah moves a
    // redefined variable to the end; the reference builder, like Slipway, keeps its place).
    Map<String, String> env = new TreeMap<>();
    for (String assignment : run.env()) {
      int eq = assignment.indexOf('=');
      env.put(eq < 0 ? assignment : assignment.substring(0, eq),
          eq < 0 ? "" : assignment.substring(eq + 1));
    }
    settings.put("Env", env);
    settings.put("Entrypoint", run.entrypoint());
    settings.put("Cmd", run.cmd());
    settings.put("User", String.valueOf(run.user()));
    settings.put("WorkingDir", String.valueOf(run.workingDir()));
    settings.put("Labels", new TreeMap<>(run.labels()));
    settings.put("ExposedPorts", List.copyOf(new TreeSet<>(run.exposedPorts())));
    return settings;
  }
}
