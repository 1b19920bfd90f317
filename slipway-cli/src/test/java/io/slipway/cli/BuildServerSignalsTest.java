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
 * {@code slipway builder serve} and {@code slipway build} in child JVMs, as users run them: the
 * build goes to the server; the client's first signal cancels the RUN step in the server (exit
 * 130); a client killed outright cancels its build too; either way the container, bundle and
 * mounts are gone and the server goes on serving. SIGTERM stops the server and removes its socket.
 */
@IntegrationTest
@RequiresTool(value = {"busybox", "runc"}, debianPackage = "busybox-static runc")
class BuildServerSignalsTest {
  @TempDir Path dir;

  @Test
  void doesCancelServedRunStepWhenClientIsSignalledOrKilled() throws Exception {
    Path layout = TestImages.busybox(dir.resolve("busybox")).layout();
    Path context = Files.createDirectories(dir.resolve("context"));
    Files.writeString(context.resolve("Dockerfile"), """
        FROM busybox
        ARG ROUND
        RUN echo started-$((20+22))-$ROUND && sleep 300
        """, StandardCharsets.UTF_8);
    Files.writeString(context.resolve("Dockerfile.quick"), """
        FROM busybox
        RUN echo quick > /quick.txt
        """, StandardCharsets.UTF_8);
    Path root = dir.resolve("builder");
    ChildJvm server = ChildJvm.of(Main.class).jvmOptions(List.of("-Xmx512m"))
        .args("builder", "serve", "--root", root.toString()).start(dir.resolve("server.log"));
    try {
      server.awaitOutput("serving builds of " + root, Duration.ofSeconds(60));
      Path bundles = root.resolve("run/bundles");

      // The first signal cancels: the server kills the container and the client exits 130.
      ChildJvm signalled = build(root, layout, context, "1", "signalled.log");
      signalled.awaitOutput("started-42-1", Duration.ofSeconds(90));
      assertThat(entries(bundles)).as("the RUN step's bundle while it runs").hasSize(1);
      signalled.signal("INT");
      OptionalInt exit = signalled.exitWithin(Duration.ofSeconds(60));
      assertThat(exit).as("client exit after SIGINT:\n%s", signalled.output()).hasValue(130);
      assertThat(signalled.output()).contains("build cancelled");
      assertNothingLeft(root, bundles);

      // A client killed outright: the server sees it gone and cancels its build.
      ChildJvm killed = build(root, layout, context, "2", "killed.log");
      killed.awaitOutput("started-42-2", Duration.ofSeconds(90));
      killed.signal("KILL");
      server.awaitOutput("exit 130", Duration.ofSeconds(60));
      assertNothingLeft(root, bundles);

      // The server goes on serving.
      ChildJvm quick = ChildJvm.of(Main.class).jvmOptions(List.of("-Xmx256m"))
          .args("build", "--root", root.toString(), "--progress", "plain", "--build-context",
              "busybox=oci-layout://" + layout, "-f", context.resolve("Dockerfile.quick").toString(),
              context.toString())
          .start(dir.resolve("quick.log"));
      assertThat(quick.awaitExit(Duration.ofSeconds(120))).as(quick.output()).isZero();
      assertThat(server.output()).contains("build in ").contains(": exit 0 after");

      server.signal("TERM");
      assertThat(server.exitWithin(Duration.ofSeconds(60))).as(server.output()).hasValue(0);
      assertThat(root.resolve(BuilderCommand.SOCKET_NAME)).doesNotExist();
    } finally {
      server.close();
    }
    for (Finding finding : BuildKillTest.fsck(root, false).findings()) {
      assertThat(finding).as(finding.describe()).isInstanceOf(Finding.OrphanBlob.class);
    }
  }

  private ChildJvm build(Path root, Path layout, Path context, String round, String log)
      throws java.io.IOException {
    // Small heap: the client only relays, and the test checks it built nothing itself.
    return ChildJvm.of(Main.class).jvmOptions(List.of("-Xmx64m"))
        .args("build", "--builder", "server", "--root", root.toString(), "--progress", "plain",
            "--build-arg", "ROUND=" + round, "--build-context", "busybox=oci-layout://" + layout,
            context.toString())
        .start(dir.resolve(log));
  }

  private static void assertNothingLeft(Path root, Path bundles) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!entries(bundles).isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(entries(bundles)).as("bundles left after the cancel").isEmpty();
    assertThat(Files.readString(Path.of("/proc/self/mountinfo")))
        .as("mounts left under the root").doesNotContain(root.resolve("run").toString());
    Process list = new ProcessBuilder("runc", "--root", root.resolve("run/runc").toString(),
        "list", "-q").redirectErrorStream(true).start();
    String containers = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    list.waitFor();
    assertThat(containers.strip()).as("runc containers left").isEmpty();
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
