package io.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.cli.buildserver.BuildServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code slipway builder status} and {@code stop} against a server of this JVM. */
class BuilderCommandTest {
  @TempDir Path dir;

  @Test
  void doesReportNoServerWhenNoneRuns() {
    CliRun status = CliRun.of("builder", "status", "--root", dir.toString());
    assertThat(status.exitCode()).isEqualTo(1);
    assertThat(status.err()).contains("no build server answers at " + dir.resolve("builder.sock"));

    CliRun stop = CliRun.of("builder", "stop", "--root", dir.toString());
    assertThat(stop.exitCode()).isZero();
    assertThat(stop.err()).contains("no build server runs at " + dir.resolve("builder.sock"));
  }

  @Test
  void doesShowStatusThenStopServerWhenOneRuns() throws Exception {
    BuildServer server = BuildServer.start(BuilderCommand.socket(dir), new ServedBuilds(dir),
        Duration.ZERO, Duration.ofSeconds(5), line -> {});
    try {
      CliRun status = CliRun.of("builder", "status", "--root", dir.toString());
      assertThat(status.exitCode()).as(status.err()).isZero();
      assertThat(status.out()).contains("socket: " + dir.resolve("builder.sock"),
          "builds running: 0");

      CliRun stop = CliRun.of("builder", "stop", "--root", dir.toString());
      assertThat(stop.exitCode()).as(stop.err()).isZero();
      CompletableFuture.runAsync(() -> {
        try {
          server.awaitClosed();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }).get(10, TimeUnit.SECONDS);
      assertThat(CliRun.of("builder", "status", "--root", dir.toString()).exitCode()).isEqualTo(1);
    } finally {
      server.close();
    }
  }

  @Test
  void doesRefuseBadDurationWhenServing() {
    CliRun serve = CliRun.of("builder", "serve", "--root", dir.toString(),
        "--idle-timeout", "soon");
    assertThat(serve.exitCode()).isEqualTo(2);
    assertThat(serve.err()).contains("--idle-timeout: \"soon\" is not a duration");
    assertThat(dir.resolve("builder.sock")).doesNotExist();
  }

  @Test
  void doesNameShutdownTimeoutWhenItsDurationIsBad() {
    CliRun serve = CliRun.of("builder", "serve", "--root", dir.toString(),
        "--shutdown-timeout", "30");
    assertThat(serve.exitCode()).isEqualTo(2);
    assertThat(serve.err()).contains("--shutdown-timeout: \"30\" is not a duration such as 168h");
    assertThat(dir.resolve("builder.sock")).doesNotExist();
  }
}
