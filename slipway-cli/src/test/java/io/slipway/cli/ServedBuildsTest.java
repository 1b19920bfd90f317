package io.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.cli.buildserver.BuildIdentity;
import io.slipway.cli.buildserver.BuildServer;
import io.slipway.cli.buildserver.BuildServerClient;
import io.slipway.cli.buildserver.BuildServerRequest;
import io.slipway.testing.RequiresTool;
import io.slipway.testing.images.TestImages;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code slipway build} run by the build server for a client in another working directory: the
 * same image as a build in the client's own process, relative paths resolved against the
 * client's directory, its environment used, and what the server cannot serve declined.
 */
@RequiresTool(value = "busybox", debianPackage = "busybox-static")
class ServedBuildsTest {
  @TempDir Path dir;

  private final List<String> log = new CopyOnWriteArrayList<>();
  private Path root;
  private Path workdir;
  private Path layout;
  private BuildServer server;

  @BeforeEach
  void start() throws IOException {
    root = dir.resolve("state").toAbsolutePath();
    layout = TestImages.busybox(dir.resolve("busybox")).layout();
    workdir = Files.createDirectories(dir.resolve("work"));
    Files.writeString(workdir.resolve("Dockerfile"), """
        FROM busybox
        ARG GREETING
        COPY hello.txt /hello.txt
        LABEL greeting=$GREETING
        """, StandardCharsets.UTF_8);
    Files.writeString(workdir.resolve("hello.txt"), "hello\n", StandardCharsets.UTF_8);
    server = BuildServer.start(BuilderCommand.socket(root), new ServedBuilds(root),
        Duration.ZERO, Duration.ofSeconds(5), log::add);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** What the client saw. */
  private record Seen(BuildServerClient.Outcome outcome, String out, String err) {
    int exitCode() {
      return ((BuildServerClient.Outcome.Exited) outcome).code();
    }
  }

  private Map<String, String> environment() {
    Map<String, String> environment = new HashMap<>();
    environment.put("HOME", dir.resolve("home").toString());
    environment.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    environment.put("SOURCE_DATE_EPOCH", "1700000000");
    environment.put("GREETING", "from-the-client");
    return environment;
  }

  private Seen served(InputStream stdin, String... arguments) throws IOException {
    BuildServerRequest request = new BuildServerRequest(BuildIdentity.current(),
        List.of(arguments), workdir, environment(), false, 0);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try (BuildServerClient client =
        BuildServerClient.connect(BuilderCommand.socket(root)).orElseThrow()) {
      BuildServerClient.Outcome outcome = client.run(request, stdin, out, err, BuildServerClient.ANSWER_DEADLINE);
      return new Seen(outcome, out.toString(StandardCharsets.UTF_8),
          err.toString(StandardCharsets.UTF_8));
    }
  }

  private Seen served(String... arguments) throws IOException {
    return served(InputStream.nullInputStream(), arguments);
  }

  @Test
  void doesBuildWithClientsDirectoryAndEnvironmentWhenPathsAreRelative() throws Exception {
    Seen seen = served("--root", root.toString(), "--progress=plain",
        "--build-context", "busybox=oci-layout://" + layout, "--build-arg", "GREETING",
        "--iidfile", "image.id", "--metadata-file", "meta.json", "-t", "app:1",
        "--output", "type=oci,dest=out/image.tar", ".");
    assertThat(seen.exitCode()).as(seen.err()).isZero();
    assertThat(workdir.resolve("image.id")).as("iidfile in the client's directory").exists();
    assertThat(workdir.resolve("out/image.tar")).as("output in the client's directory").exists();
    assertThat(Files.readString(workdir.resolve("meta.json")))
        .contains("\"containerimage.config.digest\" : \""
            + Files.readString(workdir.resolve("image.id")) + "\"")
        .contains("\"image.name\" : \"app:1\"");
    assertThat(Path.of("image.id")).as("nothing in the server's own directory").doesNotExist();
    assertThat(seen.err()).contains("COPY hello.txt /hello.txt");

    // The same build in a process of its own gives the same image: the server used the
    // client's SOURCE_DATE_EPOCH and the variable a bare --build-arg names.
    Path local = dir.resolve("local");
    assertThat(Files.readString(workdir.resolve("image.id")))
        .isEqualTo(localImageId(local, environment()));

    Seen again = served("--root", root.toString(), "--progress=plain",
        "--build-context", "busybox=oci-layout://" + layout, "--build-arg", "GREETING", ".");
    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(again.err()).contains("CACHED");
    assertThat(log).anyMatch(line -> line.startsWith("build in " + workdir + ": exit 0"));
  }

  @Test
  void doesReadDockerfileFromClientsInputWhenFileIsDash() throws Exception {
    Seen seen = served(new ByteArrayInputStream(
            "FROM busybox\nCOPY hello.txt /from-stdin.txt\n".getBytes(StandardCharsets.UTF_8)),
        "--root", root.toString(), "--progress=plain", "--build-context",
        "busybox=oci-layout://" + layout, "-f", "-", "--output", "type=local,dest=tree", ".");
    assertThat(seen.exitCode()).as(seen.err()).isZero();
    assertThat(workdir.resolve("tree/from-stdin.txt")).hasContent("hello");
  }

  @Test
  void doesReportUsageErrorAsClientWouldWhenFlagIsBad() throws Exception {
    Seen seen = served("--root", root.toString(), "--output", "type=bogus", ".");
    assertThat(seen.exitCode()).isEqualTo(2);
    assertThat(seen.err()).contains("type must be image, registry, oci, docker, local or tar");
  }

  @Test
  void doesDeclineBuildWhenItIsForAnotherRoot() throws Exception {
    assertThat(served("--root", "elsewhere", ".").outcome())
        .isEqualTo(new BuildServerClient.Outcome.Declined("the build server serves " + root
            + ", not " + workdir.resolve("elsewhere")));
    // The client's default root comes from its own environment, not the server's.
    assertThat(served(".").outcome())
        .isInstanceOf(BuildServerClient.Outcome.Declined.class);
  }

  @Test
  void doesDeclineBuildWhenClientAsksForLocalOrArgumentFile() throws Exception {
    assertThat(served("--root", root.toString(), "--builder", "local", ".").outcome())
        .isEqualTo(new BuildServerClient.Outcome.Declined(
            "--builder local asks for a build in the client"));
    assertThat(served("@args.txt").outcome())
        .isEqualTo(new BuildServerClient.Outcome.Declined(
            "argument files (@args.txt) are read by the client"));
  }

  @Test
  void doesServeRootRelativeToClientWhenRootIsRelative() throws Exception {
    Path relative = workdir.relativize(root);
    Seen seen = served("--root", relative.toString(), "--build-context",
        "busybox=oci-layout://" + layout, ".");
    assertThat(seen.outcome()).isInstanceOf(BuildServerClient.Outcome.Exited.class);
    assertThat(seen.exitCode()).as(seen.err()).isZero();
  }

  private String localImageId(Path state, Map<String, String> environment) throws IOException {
    var commandLine = SlipwayCommand.newCommandLine();
    BuildCommand command = (BuildCommand) commandLine.getSubcommands().get("build").getCommand();
    command.invocation = new Invocation.Local(new CliEnvironment(environment),
        Path.of("").toAbsolutePath());
    Path iid = dir.resolve("local.id");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    commandLine.setErr(new java.io.PrintWriter(err, true, StandardCharsets.UTF_8));
    int code = commandLine.execute("build", "--root", state.toString(), "--progress=plain",
        "--build-context", "busybox=oci-layout://" + layout, "--build-arg", "GREETING",
        "--iidfile", iid.toString(), "-f", workdir.resolve("Dockerfile").toString(),
        workdir.toString());
    assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
    return Files.readString(iid);
  }
}
