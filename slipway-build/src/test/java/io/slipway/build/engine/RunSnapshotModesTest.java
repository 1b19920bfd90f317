package io.slipway.build.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.slipway.build.cache.LayerRef;
import io.slipway.build.export.Output;
import io.slipway.build.run.BuildSession;
import io.slipway.build.run.ExecutorOptions;
import io.slipway.build.run.RootfsMode;
import io.slipway.build.run.RuncExecutor;
import io.slipway.build.snapshot.OverlayMount;
import io.slipway.build.snapshot.Snapshotter;
import io.slipway.testing.IntegrationTest;
import io.slipway.testing.RequiresTool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds the same RUN steps with stacked snapshots and overlay root file systems, and with copied
 * snapshots and copied root file systems, and checks that both give the same layers.
 */
@IntegrationTest
@RequiresTool(value = {"runc", "busybox"}, debianPackage = "runc busybox-static")
class RunSnapshotModesTest {

  @TempDir Path dir;

  private static final String DOCKERFILE = """
      FROM busybox
      RUN --mount=type=tmpfs,target=/scratch mkdir -p /data/keep /data/gone/sub \\
          && echo hi > /data/keep/a && echo t > /data/tmp && rm /data/tmp \\
          && echo s > /scratch/s && rm -f /bin/true && chmod 700 /data/keep \\
          && echo g > /data/gone/sub/g
      RUN rm -rf /data/gone /data/keep && mkdir /data/keep && echo again > /data/keep/b \\
          && ln -s /data/keep/b /link
      RUN rm -rf /data/keep && mkdir -p /data/keep/sub && echo third > /data/keep/sub/c
      """;

  private record Built(List<LayerRef> layers, Path rootfs) {}

  private Built build(String name, Snapshotter.Mode snapshots, RootfsMode rootfs)
      throws Exception {
    Path base = Files.createDirectories(dir.resolve(name));
    RuncExecutor runc = RuncExecutor.open(
        ExecutorOptions.defaults(base.resolve("state/run")).withRootfsMode(rootfs));
    try (BuildFixture fixture = new BuildFixture(base, base.resolve("state"),
        new RuncStepExecutor(runc, BuildSession.empty(), "Dockerfile", StepOutput.discard()),
        snapshots)) {
      Path out = base.resolve("out");
      BuildResult result = fixture.engine.build(
          fixture.request(DOCKERFILE, new Output.LocalDirectory(out, Output.LayerSettings.DEFAULT))
              .withNoCache(true),
          io.slipway.build.solver.SolveListener.NONE);
      return new Built(result.image().layers(), out);
    }
  }

  @Test
  void givesIdenticalLayersWithOverlayAndCopiedRootFileSystems() throws Exception {
    assumeTrue(Files.getAttribute(Path.of("/proc/self"), "unix:uid").equals(0),
        "RUN steps need root");
    assumeTrue(OverlayMount.unusableReason(dir).isEmpty(), "overlayfs does not work here");

    Built stacked = build("stacked", Snapshotter.Mode.STACKED, RootfsMode.OVERLAY);
    Built copied = build("copied", Snapshotter.Mode.COPIED, RootfsMode.COPY);

    assertThat(stacked.layers()).hasSize(copied.layers().size());
    assertThat(stacked.layers().stream().map(LayerRef::diffId).toList())
        .as("diff IDs of the RUN layers")
        .isEqualTo(copied.layers().stream().map(LayerRef::diffId).toList());
    assertThat(Files.readString(stacked.rootfs().resolve("data/keep/sub/c"))).isEqualTo("third\n");
    assertThat(stacked.rootfs().resolve("data/keep/b")).doesNotExist();
    assertThat(stacked.rootfs().resolve("data/gone")).doesNotExist();
    assertThat(stacked.rootfs().resolve("data/tmp")).doesNotExist();
    assertThat(stacked.rootfs().resolve("scratch/s")).doesNotExist();
    assertThat(Files.isSymbolicLink(stacked.rootfs().resolve("link"))).isTrue();
    assertThat(stacked.rootfs().resolve("bin/true")).doesNotExist();
    try (Stream<Path> left = Files.list(dir.resolve("stacked/state/snapshots/owners"))) {
      assertThat(left.toList()).as("scratch space left by the stacked build").isEmpty();
    }
  }
}
