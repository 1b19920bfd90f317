package io.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.cli.buildserver.BuildServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client side of a served build, before picocli: finding the root and falling back. */
class RemoteBuildTest {
  @TempDir Path dir;

  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private OptionalInt run(String... args) {
    return RemoteBuild.run(args, new PrintStream(new ByteArrayOutputStream(), true,
        StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void doesFindRootAndBuilderChoiceInEitherOptionForm() {
    assertThat(RemoteBuild.rootOption(List.of("--root", "a", "--root=b", "."))).hasValue(Path.of("b"));
    assertThat(RemoteBuild.rootOption(List.of("-t", "x", "."))).isEqualTo(Optional.empty());
    assertThat(RemoteBuild.rootOption(List.of("--", "--root", "a"))).isEqualTo(Optional.empty());
    assertThat(RemoteBuild.wantsLocal(List.of("--builder=LOCAL", "."))).isTrue();
    assertThat(RemoteBuild.wantsLocal(List.of("--builder", "server", "."))).isFalse();
    assertThat(RemoteBuild.wantsServer(List.of("--builder", "server", "."))).isTrue();
  }

  @Test
  void doesBuildHereWhenNoServerAnswers() {
    assertThat(run("build", "--root", dir.toString(), ".")).isEmpty();
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void doesBuildHereSayingWhyWhenServerDeclines() throws Exception {
    try (BuildServer server = BuildServer.start(BuilderCommand.socket(dir),
        session -> {
          throw new BuildServer.Declined("no reason at all");
        }, Duration.ZERO, Duration.ZERO, line -> {})) {
      assertThat(server.socket()).exists();
      assertThat(run("build", "--root", dir.toString(), ".")).isEmpty();
      assertThat(err.toString(StandardCharsets.UTF_8))
          .isEqualTo("slipway: building in this process: no reason at all\n");
    }
  }

  @Test
  void doesFailNamingTheReasonWhenServerDeclinesAndBuilderServerIsAsked() throws Exception {
    try (BuildServer server = BuildServer.start(BuilderCommand.socket(dir),
        session -> {
          throw new BuildServer.Declined("no reason at all");
        }, Duration.ZERO, Duration.ZERO, line -> {})) {
      assertThat(server.socket()).exists();
      assertThat(run("build", "--builder", "server", "--root", dir.toString(), "."))
          .hasValue(BuildCommand.EXIT_FAILED);
      assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("error: --builder server: the"
          + " build server of " + dir + " declined the build: no reason at all\n");
    }
  }

  @Test
  void doesNotAskServerWhenBuilderLocalOrArgumentFileIsGiven() throws Exception {
    try (BuildServer server = BuildServer.start(BuilderCommand.socket(dir),
        session -> {
          throw new AssertionError("asked the server");
        }, Duration.ZERO, Duration.ZERO, line -> {})) {
      assertThat(server.socket()).exists();
      assertThat(run("build", "--builder", "local", "--root", dir.toString(), ".")).isEmpty();
      assertThat(run("build", "@args", "--root", dir.toString())).isEmpty();
      assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }
  }
}
