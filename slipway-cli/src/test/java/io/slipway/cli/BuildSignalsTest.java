package io.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.store.fsck.Finding;
import io.slipway.testing.ChildJvm;
import io.slipway.testing.IntegrationTest;
import io.slipway.testing.RequiresTool;
import io.slipway.testing.images.TestImages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code slipway build} in a child JVM, signalled while a RUN step runs in runc: it cancels, kills
 * the container, removes its bundle and mounts, records nothing for the step, and exits 130.
 */
@IntegrationTest
@RequiresTool(value = {"busybox", "runc"}, debianPackage = "busybox-static runc")
class BuildSignalsTest {
  @TempDir Path dir;

  @Test
  void doesCancelRunStepAndLeaveNothingBehindWhenSignalled() throws Exception {
    Path layout = TestImages.busybox(dir.resolve("busybox")).layout();
    Path context = Files.createDirectories(dir.resolve("context"));
    Files.writeString(context.resolve("Dockerfile"), """
        FROM busybox
        RUN echo started-$((20+22)) && sleep 300
        """, StandardCharsets.UTF_8);
    Path root = dir.resolve("builder");
    ChildJvm child = ChildJvm.start(dir.resolve("build.log"), List.of("-Xmx256m"), Main.class,
        "build", "--root", root.toString(), "--progress", "plain",
        "--build-context", "busybox=oci-layout://" + layout, context.toString());
    try {
      // Only the running step prints 42; the progress line shows the command unexpanded.
      child.awaitOutput("started-42", Duration.ofSeconds(90));
      Path bundles = root.resolve("run/bundles");
      assertThat(entries(bundles)).as("the RUN step's bundle while it runs").hasSize(1);

      child.signal("TERM");
      OptionalInt exit = child.exitWithin(Duration.ofSeconds(60));
      assertThat(exit).as("exit after SIGTERM:\n%s", child.output()).hasValue(130);
      assertThat(child.output()).contains("build cancelled");

      assertThat(entries(bundles)).as("bundles left after the cancel").isEmpty();
      assertThat(Files.readString(Path.of("/proc/self/mountinfo")))
          .as("mounts left under the root").doesNotContain(root.toString());
      Process list = new ProcessBuilder("runc", "--root", root.resolve("run/runc").toString(),
          "list", "-q").redirectErrorStream(true).start();
      String containers = new String(list.getInputStream().readAllBytes(),
          StandardCharsets.UTF_8);
      list.waitFor();
      assertThat(containers.strip()).as("runc containers left").isEmpty();
    } finally {
      child.close();
    }
    for (Finding finding : BuildKillTest.fsck(root, false).findings()) {
      assertThat(finding).as(finding.describe()).isInstanceOf(Finding.OrphanBlob.class);
    }
  }

  private static List<Path> entries(Path directory) throws java.io.IOException {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(directory)) {
      return list.toList();
    }
  }
}
