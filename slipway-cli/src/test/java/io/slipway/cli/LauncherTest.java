package io.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.client.ClientSettings;
import io.slipway.client.RegistryClient;
import io.slipway.client.Repository;
import io.slipway.client.TransferListener;
import io.slipway.client.auth.CredentialSource;
import io.slipway.oci.Descriptor;
import io.slipway.oci.Digest;
import io.slipway.oci.ImageManifest;
import io.slipway.oci.ManifestBytes;
import io.slipway.oci.MediaTypes;
import io.slipway.registry.RegistryConfig;
import io.slipway.registry.RegistryServer;
import io.slipway.store.blob.FileBlobStore;
import io.slipway.testing.IntegrationTest;
import io.slipway.testing.RequiresTool;
import io.slipway.testing.images.TestImages;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the repository's shell entry points, {@code bin/find-jdk} and {@code ./slipway}, as a user
 * would. The {@code package} phase has built the jar before these run, so the launcher starts it
 * without rebuilding.
 */
@IntegrationTest
class LauncherTest {

  private static final Path REPO = Path.of("").toAbsolutePath().getParent();

  record Result(int exitCode, String stdout, String stderr) {}

  private static Result run(Map<String, String> env, String... command)
      throws IOException, InterruptedException {
    return run(REPO, env, command);
  }

  private static Result run(Path directory, Map<String, String> env, String... command)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(List.of(command)).directory(directory.toFile());
    builder.environment().remove("JAVA_OPTS");
    builder.environment().putAll(env);
    Path out = Files.createTempFile("launcher", ".out");
    Path err = Files.createTempFile("launcher", ".err");
    try {
      Process process =
          builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      assertThat(process.waitFor(120, TimeUnit.SECONDS))
          .as("%s finished within 120 s", String.join(" ", command))
          .isTrue();
      return new Result(
          process.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /** A directory that looks like a JDK of the given version to find-jdk. */
  private static Path fakeJdk(Path root, String name, String version) throws IOException {
    Path home = Files.createDirectories(root.resolve(name));
    Path bin = Files.createDirectories(home.resolve("bin"));
    for (String tool : List.of("java", "javac")) {
      Path file = bin.resolve(tool);
      Files.writeString(file, "#!/bin/sh\necho 'openjdk version \"" + version + "\"' >&2\n");
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    Files.writeString(home.resolve("release"), "JAVA_VERSION=\"" + version + "\"\n");
    return home;
  }

  @Test
  void findJdkPicksTheNewestJdkThatIsNewEnough(@TempDir Path roots) throws Exception {
    fakeJdk(roots, "jdk-17", "17.0.12");
    Path newest = fakeJdk(roots, "jdk-25", "25.0.1");
    fakeJdk(roots, "jdk-21", "21.0.5");

    Result result = run(Map.of("SLIPWAY_JDK_ROOTS", roots.toString(), "JAVA_HOME", ""), "bin/find-jdk");

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.stdout().strip()).isEqualTo(newest.toString());
  }

  @Test
  void findJdkPrefersJavaHomeWhenItIsNewEnough(@TempDir Path roots) throws Exception {
    Path chosen = fakeJdk(roots, "jdk-21", "21.0.5");
    fakeJdk(roots, "jdk-25", "25.0.1");

    Result result =
        run(Map.of("SLIPWAY_JDK_ROOTS", roots.toString(), "JAVA_HOME", chosen.toString()),
            "bin/find-jdk");

    assertThat(result.stdout().strip()).isEqualTo(chosen.toString());
  }

  @Test
  void findJdkSkipsJavaHomeWhenItIsTooOld(@TempDir Path roots) throws Exception {
    Path old = fakeJdk(roots, "jdk-17", "17.0.12");
    Path modern = fakeJdk(roots, "jdk-22", "22");

    Result result =
        run(Map.of("SLIPWAY_JDK_ROOTS", roots.toString(), "JAVA_HOME", old.toString()),
            "bin/find-jdk");

    assertThat(result.stdout().strip()).isEqualTo(modern.toString());
  }

  @Test
  void findJdkExplainsWhenNoJdkIsNewEnough(@TempDir Path roots) throws Exception {
    Path old = fakeJdk(roots, "jdk-17", "17.0.12");

    Result result =
        run(Map.of("SLIPWAY_JDK_ROOTS", roots.toString(), "JAVA_HOME", ""), "bin/find-jdk");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.stdout()).isEmpty();
    assertThat(result.stderr())
        .contains("no JDK 21 or newer found")
        .contains(old + " (17)")
        .contains("set JAVA_HOME");
  }

  @Test
  void launcherPrintsTheVersion() throws Exception {
    Result result = run(Map.of(), "./slipway", "--version");

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.stdout()).startsWith("slipway ").contains("java ");
    assertThat(result.stderr()).doesNotContain("building");
  }

  @Test
  void versionLoadsPicocliFromTheClassArchiveAndSpinsNoProxy() throws Exception {
    Result logged = run(Map.of("JAVA_OPTS", "-Xlog:class+load"), "./slipway", "--version");

    assertThat(logged.exitCode()).as(logged.stderr()).isZero();
    // picocli as shipped (class file version 49) cannot be archived; the build upgrades it.
    assertThat(logged.stdout()).contains("picocli.CommandLine source: shared objects file")
        .doesNotContain("source: file:");
    // Annotations read at run time spin proxy classes, which no archive holds.
    assertThat(logged.stdout()).doesNotContain("__dynamic_proxy__");
    // Not the build's archive: an AOT cache loads every class it holds at start, and the
    // build's holds over 5,000.
    assertThat(logged.stdout().lines().filter(l -> l.contains("source: shared objects file")))
        .hasSizeLessThan(2_500);
  }

  @Test
  void aCopyRunsFromTheClientArchive(@TempDir Path dir) throws Exception {
    byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
    byte[] layer = "layer".getBytes(StandardCharsets.UTF_8);
    ManifestBytes manifest = ManifestBytes.serialize(ImageManifest.of(
        Descriptor.of(MediaTypes.OCI_CONFIG, config), List.of(Descriptor.of(MediaTypes.OCI_LAYER, layer))));
    try (RegistryServer source = RegistryServer.start(
            RegistryConfig.defaults(dir.resolve("source")).withAddress("127.0.0.1", 0));
        RegistryServer target = RegistryServer.start(
            RegistryConfig.defaults(dir.resolve("target")).withAddress("127.0.0.1", 0));
        RegistryClient client = RegistryClient.create(ClientSettings.defaults(), CredentialSource.anonymous());
        FileBlobStore store = FileBlobStore.open(dir.resolve("store"))) {
      for (byte[] blob : List.of(config, layer, manifest.bytes())) {
        store.put(new ByteArrayInputStream(blob), Digest.sha256(blob), blob.length);
      }
      String from = source.baseUri().getAuthority() + "/app";
      client.push(store, manifest.descriptor(), Repository.of(source.baseUri().getAuthority(), "app"),
          List.of("1"), null, TransferListener.none());

      Result logged = run(Map.of("JAVA_OPTS", "-Xlog:class+load -XX:+PrintFlagsFinal"), "./slipway", "copy",
          "--root", dir.resolve("root").toString(), from + ":1",
          target.baseUri().getAuthority() + "/app:1");

      assertThat(logged.exitCode()).as(logged.stderr()).isZero();
      assertThat(logged.stdout()).contains(manifest.digest().toString());
      // The client commands' own archive, trained by copying between two local registries: the
      // HTTP client, JSON and the copy path start archived, not only picocli.
      assertThat(REPO.resolve("slipway-cli/target")).isDirectoryContaining(
          p -> p.getFileName().toString().matches("slipway-client\\.(aot|jsa)"));
      for (String type : List.of("jdk.internal.net.http.HttpClientImpl",
          "com.fasterxml.jackson.databind.ObjectMapper", "io.slipway.client.BlobRelay",
          "io.slipway.cli.CopyCommand")) {
        assertThat(logged.stdout()).contains(type + " source: shared objects file");
      }
      // The client commands compile less (see the launcher).
      assertThat(logged.stdout()).containsPattern("CompileThresholdScaling\\s+= 4\\.0");
      assertThat(client.blobExists(Repository.of(target.baseUri().getAuthority(), "app"),
          Digest.sha256(layer))).isTrue();
    }
  }

  @Test
  void aBuildLoadsItsLibrariesFromTheClassArchive(@TempDir Path dir) throws Exception {
    Path context = Files.createDirectories(dir.resolve("context"));
    Files.writeString(context.resolve("a.txt"), "a\n");
    Files.writeString(dir.resolve("Dockerfile"), "FROM scratch\nCOPY a.txt /a.txt\n");

    Result logged = run(Map.of("JAVA_OPTS", "-Xlog:class+load"), "./slipway", "build",
        "--root", dir.resolve("root").toString(), "--progress=plain",
        "--output", "type=oci,dest=" + dir.resolve("image.tar"),
        "-f", dir.resolve("Dockerfile").toString(), context.toString());

    assertThat(logged.exitCode()).as(logged.stderr()).isZero();
    // The build's own archive, trained by building an image: the build path is archived, not
    // only picocli.
    assertThat(REPO.resolve("slipway-cli/target")).isDirectoryContaining(
        p -> p.getFileName().toString().matches("slipway-build\\.(aot|jsa)"));
    for (String type : List.of("io.slipway.build.engine.BuildEngine",
        "com.fasterxml.jackson.databind.ObjectMapper", "org.sqlite.SQLiteConnection",
        "org.apache.commons.compress.archivers.tar.TarArchiveOutputStream",
        "io.opentelemetry.sdk.trace.SdkTracerProvider")) {
      assertThat(logged.stdout()).contains(type + " source: shared objects file");
    }
  }

  @Test
  void theBuildCommandCompilesLessEagerlyThanOthers() throws Exception {
    Map<String, String> flags = Map.of("JAVA_OPTS", "-XX:+PrintFlagsFinal");
    Result build = run(flags, "./slipway", "build", "--help");
    Result version = run(flags, "./slipway", "--version");

    assertThat(build.exitCode()).as(build.stderr()).isZero();
    assertThat(version.exitCode()).as(version.stderr()).isZero();
    assertThat(build.stdout().lines().filter(l -> l.contains(" CompileThresholdScaling ")))
        .singleElement().asString().contains("= 10.0").contains("{command line}");
    assertThat(version.stdout().lines().filter(l -> l.contains(" CompileThresholdScaling ")))
        .singleElement().asString().contains("= 1.0").contains("{default}");
  }

  @Test
  @RequiresTool(value = {"busybox", "runc"}, debianPackage = "busybox-static runc")
  void aRunStepLoadsTheExecutorFromTheClassArchive(@TempDir Path dir) throws Exception {
    Path layout = TestImages.busybox(dir.resolve("busybox")).layout();
    Path context = Files.createDirectories(dir.resolve("context"));
    Files.writeString(dir.resolve("Dockerfile"), "FROM busybox\nRUN echo hi > /hi\n");

    Result logged = run(Map.of("JAVA_OPTS", "-Xlog:class+load"), "./slipway", "build",
        "--root", dir.resolve("root").toString(), "--progress=plain",
        "--build-context", "busybox=oci-layout://" + layout,
        "-f", dir.resolve("Dockerfile").toString(), context.toString());

    assertThat(logged.exitCode()).as(logged.stderr()).isZero();
    // The training ran RUN steps too (this machine runs them), so the first RUN of a build does
    // not load the executor, its spec writer and the upper-directory layer writer from the jar.
    for (String type : List.of("io.slipway.build.run.RuncExecutor$Step",
        "io.slipway.build.run.RuntimeSpec", "io.slipway.build.run.OpaqueDirectories",
        "io.slipway.build.run.OutputPump")) {
      assertThat(logged.stdout()).contains(type + " source: shared objects file");
    }
  }

  @Test
  void launcherExitsWithTheProgramsExitCode() throws Exception {
    Result result = run(Map.of(), "./slipway", "no-such-command");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.stderr()).contains("no-such-command");
  }

  @Test
  void launcherPassesJavaOptsToTheJvm() throws Exception {
    Result accepted = run(Map.of("JAVA_OPTS", "-Xmx64m -Xss1m"), "./slipway", "--version");
    Result rejected = run(Map.of("JAVA_OPTS", "-Xmx64m -XX:+NoSuchJvmOption"), "./slipway", "--version");

    assertThat(accepted.exitCode()).as(accepted.stderr()).isZero();
    assertThat(rejected.exitCode()).isNotZero();
    assertThat(rejected.stderr()).contains("NoSuchJvmOption");
  }

  // ---- the launcher's staleness check and class archive, in a repository of its own ----------

  private static final Path JAR = REPO.resolve("slipway-cli/target/slipway.jar");

  /**
   * A copy of the launcher in {@code root} with the real jar (its {@code lib/} linked) and a small
   * source tree, whose {@code ./mvnw} stands in for Maven: it logs each build to {@code builds.log}
   * and puts the real jar in place. So these tests change mtimes freely without rebuilding the
   * repository they run in.
   */
  private static Path launcherRepo(Path root) throws IOException {
    Files.copy(REPO.resolve("slipway"), root.resolve("slipway"));
    Files.createDirectories(root.resolve("bin"));
    Files.copy(REPO.resolve("bin/find-jdk"), root.resolve("bin/find-jdk"));
    Path target = Files.createDirectories(root.resolve("slipway-cli/target"));
    Files.createSymbolicLink(target.resolve("lib"), JAR.resolveSibling("lib"));
    Files.writeString(root.resolve("pom.xml"), "<project/>\n");
    Files.writeString(root.resolve("slipway-cli/pom.xml"), "<project/>\n");
    Files.createDirectories(root.resolve("slipway-cli/src/main/java/x"));
    Files.writeString(root.resolve("slipway-cli/src/main/java/x/A.java"), "class A {}\n");
    Files.createDirectories(root.resolve("slipway-cli/src/test/java/x"));
    Files.writeString(root.resolve("slipway-cli/src/test/java/x/ATest.java"), "class ATest {}\n");
    Path mvnw = root.resolve("mvnw");
    Files.writeString(mvnw, "#!/bin/sh\necho \"$*\" >> builds.log\n"
        + "cp '" + JAR + "' slipway-cli/target/slipway.jar\n");
    Files.setPosixFilePermissions(mvnw, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.copy(JAR, target.resolve("slipway.jar"));
    // Sources older than the jar, the jar older than an edit: the repository starts built.
    Files.setLastModifiedTime(target.resolve("slipway.jar"),
        FileTime.from(Instant.now().minusSeconds(1800)));
    age(root.resolve("pom.xml"), root.resolve("slipway-cli/pom.xml"),
        root.resolve("slipway-cli/src/main/java/x/A.java"), root.resolve("slipway-cli/src/main/java/x"),
        root.resolve("slipway-cli/src/main/java"), root.resolve("slipway-cli/src/main"));
    return root;
  }

  private static void age(Path... paths) throws IOException {
    FileTime old = FileTime.from(Instant.now().minusSeconds(3600));
    for (Path path : paths) {
      Files.setLastModifiedTime(path, old);
    }
  }

  /**
   * Makes {@code path} newer than the jar, as an edit would, but older than any build the launcher
   * makes from now on.
   */
  private static void edit(Path root, String path) throws IOException {
    Files.setLastModifiedTime(root.resolve(path), FileTime.from(Instant.now().minusSeconds(60)));
  }

  private static long builds(Path root) throws IOException {
    Path log = root.resolve("builds.log");
    return Files.exists(log) ? Files.readAllLines(log).size() : 0;
  }

  private static Result version(Path root, Map<String, String> env) throws Exception {
    Result result = run(root, env, "./slipway", "--version");
    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.stdout()).startsWith("slipway ");
    return result;
  }

  private static List<String> archiveFiles(Path root) throws IOException {
    try (Stream<Path> files = Files.list(root.resolve("slipway-cli/target"))) {
      return files.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith("slipway.") && !n.equals("slipway.jar")).sorted().toList();
    }
  }

  @Test
  void launcherDoesNotBuildWhenOnlyTestsChanged(@TempDir Path dir) throws Exception {
    Path root = launcherRepo(dir);
    edit(root, "slipway-cli/src/test/java/x/ATest.java");

    Result result = version(root, Map.of());

    assertThat(builds(root)).isZero();
    assertThat(result.stderr()).doesNotContain("building");
  }

  @Test
  void launcherRebuildsWhenAMainSourceChangesAndOnlyOnce(@TempDir Path dir) throws Exception {
    Path root = launcherRepo(dir);
    edit(root, "slipway-cli/src/main/java/x/A.java");

    Result first = version(root, Map.of());
    Result second = version(root, Map.of());

    assertThat(first.stderr()).contains("building");
    assertThat(second.stderr()).doesNotContain("building");
    assertThat(builds(root)).isEqualTo(1);
  }

  @Test
  void launcherRebuildsWhenAPomChanges(@TempDir Path dir) throws Exception {
    Path root = launcherRepo(dir);
    edit(root, "slipway-cli/pom.xml");

    version(root, Map.of());

    assertThat(builds(root)).isEqualTo(1);
  }

  @Test
  void launcherRebuildsWhenASourceIsAdded(@TempDir Path dir) throws Exception {
    Path root = launcherRepo(dir);
    Files.writeString(root.resolve("slipway-cli/src/main/java/x/B.java"), "class B {}\n");
    edit(root, "slipway-cli/src/main/java/x/B.java");

    version(root, Map.of());

    assertThat(builds(root)).isEqualTo(1);
  }

  @Test
  void launcherMakesTheClassArchiveOnceAndRemakesItForANewJar(@TempDir Path dir) throws Exception {
    Path root = launcherRepo(dir);
    Path target = root.resolve("slipway-cli/target");
    // The cds kind works on every JDK the launcher accepts; the JDK 25 default is covered below.
    Map<String, String> cds = Map.of("SLIPWAY_CLASS_ARCHIVE", "cds");

    version(root, cds);
    FileTime made = Files.getLastModifiedTime(target.resolve("slipway.jsa"));
    version(root, cds);
    assertThat(Files.getLastModifiedTime(target.resolve("slipway.jsa"))).isEqualTo(made);

    edit(root, "slipway-cli/src/main/java/x/A.java");
    version(root, cds);

    assertThat(builds(root)).isEqualTo(1);
    assertThat(Files.getLastModifiedTime(target.resolve("slipway.jsa")))
        .isGreaterThan(Files.getLastModifiedTime(target.resolve("slipway.jar")));
    assertThat(archiveFiles(root)).containsExactly("slipway.jsa");
  }

  @Test
  void launcherStartsBuildFromTheSmallArchiveWhenABuildServerServesItsRoot(@TempDir Path dir)
      throws Exception {
    Path root = launcherRepo(Files.createDirectories(dir.resolve("repo")));
    Path state = dir.resolve("state");
    // A server of other code (this test's classes, not the jar): it declines, and the client
    // builds (here: prints help) in its own process after all.
    try (var server = io.slipway.cli.buildserver.BuildServer.start(BuilderCommand.socket(state),
        session -> 0, java.time.Duration.ZERO, java.time.Duration.ZERO, line -> {})) {
      assertThat(server.socket()).isEqualTo(state.resolve("builder.sock"));
      Result served = run(root, Map.of(), "./slipway", "build", "--root=" + state, "--help");

      assertThat(served.exitCode()).as(served.stderr()).isZero();
      assertThat(served.stdout()).contains("Usage: slipway build");
      assertThat(served.stderr()).contains("building in this process: the build server runs"
          + " other Slipway code");
      // Only a relay's start matters: the small archive, trained with a relay, not the build's.
      assertThat(archiveFiles(root))
          .containsExactly(Runtime.version().feature() >= 25 ? "slipway.aot" : "slipway.jsa");
    }
  }

  @Test
  void launcherStartsBuildAsALocalOneWhenTheSocketIsAKilledServersLeftover(@TempDir Path dir)
      throws Exception {
    Path state = dir.resolve("state");
    Path socket = BuilderCommand.socket(state);
    Files.createDirectories(socket.getParent());
    // What a killed server leaves: its socket file, and a lock file naming a process now gone.
    try (var left = java.nio.channels.ServerSocketChannel.open(
        java.net.StandardProtocolFamily.UNIX)) {
      left.bind(java.net.UnixDomainSocketAddress.of(socket));
    }
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Files.writeString(socket.resolveSibling("builder.sock.lock"), gone.pid() + "\n");
    assertThat(socket).exists();
    Map<String, String> flags = Map.of("JAVA_OPTS", "-XX:+PrintFlagsFinal");

    Result local = run(flags, "./slipway", "build", "--root=" + state, "--help");

    // The local build's start: its own JIT setting (a relay would run with the defaults).
    assertThat(local.exitCode()).as(local.stderr()).isZero();
    assertThat(local.stdout().lines().filter(l -> l.contains(" CompileThresholdScaling ")))
        .singleElement().asString().contains("= 10.0").contains("{command line}");
  }

  @Test
  void aRelayedBuildLoadsItsClassesFromTheSmallArchive(@TempDir Path dir) throws Exception {
    Path state = dir.resolve("state");
    try (var server = io.slipway.cli.buildserver.BuildServer.start(BuilderCommand.socket(state),
        session -> 0, java.time.Duration.ZERO, java.time.Duration.ZERO, line -> {})) {
      assertThat(server.socket()).exists();
      Result logged = run(Map.of("JAVA_OPTS", "-Xlog:class+load"), "./slipway", "build",
          "--root", state.toString(), "--help");

      assertThat(logged.exitCode()).as(logged.stderr()).isZero();
      for (String type : List.of("io.slipway.cli.RemoteBuild",
          "io.slipway.cli.buildserver.BuildServerClient", "sun.nio.ch.UnixDomainSockets",
          "java.net.UnixDomainSocketAddress")) {
        assertThat(logged.stdout()).contains(type + " source: shared objects file");
      }
    }
  }

  @Test
  void launcherUsesTheJdksDefaultArchiveKind(@TempDir Path dir) throws Exception {
    Path root = launcherRepo(dir);

    version(root, Map.of());

    assertThat(archiveFiles(root))
        .containsExactly(Runtime.version().feature() >= 25 ? "slipway.aot" : "slipway.jsa");
  }

  @Test
  void launcherRunsWithAGarbledArchive(@TempDir Path dir) throws Exception {
    Path root = launcherRepo(dir);
    Path target = root.resolve("slipway-cli/target");
    for (String name : List.of("slipway.jsa", "slipway.aot")) {
      Files.writeString(target.resolve(name), "not an archive");
      edit(root, "slipway-cli/target/" + name);
    }

    Result cds = version(root, Map.of("SLIPWAY_CLASS_ARCHIVE", "cds"));
    Result aot = version(root, Map.of());

    assertThat(cds.stderr()).isEmpty();
    assertThat(aot.stderr()).isEmpty();
  }

  @Test
  void launchesRacingToMakeTheArchiveAllSucceedAndLeaveOneWholeArchive(@TempDir Path dir)
      throws Exception {
    Path root = launcherRepo(dir);
    List<Process> launches = new ArrayList<>();
    List<Path> outputs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Path out = root.resolve("out-" + i);
      outputs.add(out);
      ProcessBuilder builder = new ProcessBuilder("./slipway", "--version")
          .directory(root.toFile()).redirectOutput(out.toFile())
          .redirectError(root.resolve("err-" + i).toFile());
      builder.environment().remove("JAVA_OPTS");
      launches.add(builder.start());
    }
    for (int i = 0; i < launches.size(); i++) {
      assertThat(launches.get(i).waitFor(240, TimeUnit.SECONDS)).isTrue();
      assertThat(launches.get(i).exitValue())
          .as(Files.readString(root.resolve("err-" + i))).isZero();
      assertThat(Files.readString(outputs.get(i))).startsWith("slipway ");
    }

    assertThat(archiveFiles(root)).hasSize(1).allMatch(n -> n.matches("slipway\\.(aot|jsa)"));
    // The archive left behind is one the JVM takes: loading through it logs no problem.
    Map<String, String> env = new HashMap<>();
    env.put("JAVA_OPTS", "-Xlog:class+load");
    Result logged = run(root, env, "./slipway", "--version");
    assertThat(logged.exitCode()).as(logged.stderr()).isZero();
    assertThat(logged.stdout()).contains("io.slipway.cli.Main source: shared objects file");
  }
}
