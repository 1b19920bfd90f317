package io.slipway.build.run;

import io.slipway.build.snapshot.MountTable;
import io.slipway.build.snapshot.HostCommand;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.slipway.build.dockerfile.DockerfileParser;
import io.slipway.build.graph.BuildOptions;
import io.slipway.build.graph.FileAction;
import io.slipway.build.graph.GraphBuilder;
import io.slipway.build.graph.ImageResolver;
import io.slipway.build.graph.Operation;
import io.slipway.build.graph.Vertex;
import io.slipway.testing.IntegrationTest;
import io.slipway.testing.RequiresTool;
import io.slipway.store.layer.LayerReader;
import io.slipway.store.layer.LayerWriteOptions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@IntegrationTest
@RequiresTool(value = "runc", debianPackage = "runc")
class RuncExecutorTest {

  private static final String SECRET = "s3cr3t-value-4711";

  @TempDir Path work;

  private Path image;
  private Path context;
  private RuncExecutor executor;
  private final List<String> output = new CopyOnWriteArrayList<>();
  private final OutputListener listener = (stream, line) -> output.add(stream + " " + line);
  private int destinations;

  @BeforeEach
  void setUp() throws Exception {
    assumeTrue(RootfsMode.isRoot(), "runc RUN steps need root here");
    assumeTrue(
        Files.isExecutable(BusyboxRootfs.BUSYBOX),
        "needs /bin/busybox from the Debian package busybox-static");
    image = BusyboxRootfs.create(work.resolve("image"));
    context = Files.createDirectories(work.resolve("context"));
    Files.writeString(context.resolve("input.txt"), "from the context\n");
    executor = open(RootfsMode.OVERLAY);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (executor != null) {
      for (String id : new Runc(executor.runcBinary(), executor.runcStateDirectory()).list()) {
        new Runc(executor.runcBinary(), executor.runcStateDirectory()).delete(id);
      }
    }
    MountTable.unmountAllUnder(work);
  }

  private RuncExecutor open(RootfsMode mode) throws IOException {
    return RuncExecutor.open(ExecutorOptions.defaults(work.resolve("state")).withRootfsMode(mode));
  }

  private static Vertex runVertex(String dockerfile) {
    return GraphBuilder.build(
            DockerfileParser.parse("Dockerfile", dockerfile),
            BuildOptions.defaults(),
            ImageResolver.offline())
        .target()
        .root();
  }

  private ExecRequest request(String dockerfile, BuildSession session) {
    Vertex vertex = runVertex(dockerfile);
    List<Snapshot> inputs = new ArrayList<>();
    // Input 0 is the root file system: the busybox image, whatever steps the graph put before
    // this one (a WORKDIR's mkdir, say), since the executor itself creates the working directory.
    inputs.add(Snapshot.of(image));
    for (Vertex input : vertex.inputs().subList(1, vertex.inputs().size())) {
      inputs.add(
          switch (input.operation()) {
            case Operation.Local local -> Snapshot.of(context);
            case Operation.FileOp files -> Snapshot.of(materialise(files));
            default -> Snapshot.of(image);
          });
    }
    Path destination = work.resolve("changes-" + destinations++);
    return ExecRequest.of(vertex, "Dockerfile", inputs, destination, session);
  }

  /** Stands in for the solver: writes the files of a heredoc's file operation into a directory. */
  private Path materialise(Operation.FileOp files) {
    try {
      Path dir = Files.createDirectories(work.resolve("files-" + destinations));
      for (FileAction action : files.actions()) {
        FileAction.Mkfile mkfile = (FileAction.Mkfile) action;
        Path file = dir.resolve(mkfile.path().substring(1));
        Files.writeString(file, mkfile.content());
        Files.setAttribute(file, "unix:mode", mkfile.mode());
      }
      return dir;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private ExecResult run(String dockerfile) throws Exception {
    return executor.run(request(dockerfile, BuildSession.empty()), listener);
  }

  private ExecResult run(String dockerfile, BuildSession session) throws Exception {
    return executor.run(request(dockerfile, session), listener);
  }

  private List<String> stdout() {
    return output.stream()
        .filter(l -> l.startsWith("STDOUT "))
        .map(l -> l.substring("STDOUT ".length()))
        .toList();
  }

  private static List<String> tree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      return paths
          .filter(p -> !p.equals(root))
          .map(p -> root.relativize(p).toString())
          .sorted()
          .toList();
    }
  }

  private void assertNothingLeftBehind() throws IOException, InterruptedException {
    executor.awaitCleanUp();
    assertThat(new Runc(executor.runcBinary(), executor.runcStateDirectory()).list())
        .as("containers in runc's state")
        .isEmpty();
    assertThat(MountTable.mountPointsUnder(work)).as("mounts under the test directory").isEmpty();
    assertThat(tree(executor.bundleDirectory())).as("bundles").isEmpty();
    assertThat(tree(executor.trashDirectory())).as("discarded bundles").isEmpty();
  }

  @Test
  void doesStreamStdoutAndStderrLinesWhenProcessPrints() throws Exception {
    run("FROM busybox\nRUN echo one && echo two >&2 && printf 'no newline'\n");

    assertThat(output).contains("STDOUT one", "STDERR two", "STDOUT no newline");
    assertNothingLeftBehind();
  }

  @Test
  void doesReportLocationExitCodeAndLastLinesWhenProcessFails() throws Exception {
    ExecRequest request =
        request(
            "FROM busybox\n\nRUN for i in $(seq 1 30); do echo line$i; done; exit 3\n",
            BuildSession.empty());

    assertThatThrownBy(() -> executor.run(request, listener))
        .isInstanceOfSatisfying(
            RunFailedException.class,
            e -> {
              assertThat(e.exitCode()).hasValue(3);
              assertThat(e.lastLines()).hasSize(RuncExecutor.TAIL_LINES).endsWith("line30");
              assertThat(e.lastLines().getFirst()).isEqualTo("line11");
              assertThat(e.getMessage()).startsWith("Dockerfile:3: ").contains("exit code 3");
              assertThat(e.origin().lines().orElseThrow().startLine()).isEqualTo(3);
            });
    assertThat(request.destination()).doesNotExist();
    assertNothingLeftBehind();
  }

  @Test
  void doesRunWithoutShellWhenExecForm() throws Exception {
    run("FROM busybox\nRUN [\"/bin/echo\", \"$HOME\", \"a  b\"]\n");

    assertThat(stdout()).containsExactly("$HOME a  b");
  }

  @Test
  void doesUseTheStageShellWhenShellFormFollowsSHELL() throws Exception {
    run("FROM busybox\nSHELL [\"/bin/busybox\", \"sh\", \"-xc\"]\nRUN echo via-shell\n");

    assertThat(output).contains("STDOUT via-shell", "STDERR + echo via-shell");
  }

  @Test
  void doesRunAHeredocScriptFromItsMountWhenItHasAnInterpreterLine() throws Exception {
    ExecResult result =
        run("FROM busybox\nRUN <<EOF\n#!/bin/sh\necho \"from $0\"\nEOF\n");

    assertThat(stdout()).containsExactly("from /dev/pipes/EOF");
    assertThat(tree(result.changes().root())).isEmpty();
  }

  @Test
  void doesPassEnvAndDefaultsWhenStepSetsEnv() throws Exception {
    run("FROM busybox\nENV GREETING=\"hello world\"\nARG BUILT=yes\n"
        + "RUN echo \"$GREETING|$BUILT|$HOME|$PATH|$(hostname)\"\n");

    assertThat(stdout())
        .containsExactly(
            "hello world|yes|/root|" + GraphBuilder.DEFAULT_PATH + "|"
                + ExecutorOptions.DEFAULT_HOSTNAME);
  }

  @Test
  void doesRunAsTheResolvedUserWhenUserIsSet() throws Exception {
    run("FROM busybox\nUSER app\nRUN id && echo $HOME\n");
    run("FROM busybox\nUSER app:docker\nRUN id\n");
    run("FROM busybox\nUSER 4242\nRUN id -u && id -g\n");

    assertThat(stdout())
        .containsExactly(
            "uid=1000(app) gid=1000(app) groups=10(wheel),999(docker),1000(app)",
            "/home/app",
            "uid=1000(app) gid=999(docker) groups=999(docker)",
            "4242",
            "0");
  }

  @Test
  void doesNameTheUserWhenUserIsUnknown() throws Exception {
    ExecRequest request = request("FROM busybox\nUSER ghost\nRUN true\n", BuildSession.empty());

    assertThatThrownBy(() -> executor.run(request, listener))
        .isInstanceOf(RunSetupException.class)
        .hasMessageContaining("Dockerfile:3")
        .hasMessageContaining("unable to find user \"ghost\"");
    assertNothingLeftBehind();
  }

  @Test
  void doesCreateTheWorkingDirectoryWhenMissing() throws Exception {
    ExecResult result = run("FROM busybox\nWORKDIR /srv/app\nRUN pwd\n");

    assertThat(stdout()).containsExactly("/srv/app");
    Path created = result.changes().root().resolve("srv/app");
    assertThat(created).isDirectory();
    assertThat(UnixAttributes.of(created).mode() & 07777).isEqualTo(0755);
  }

  @Test
  void doesRecordAdditionsChangesAndWhiteoutsButNoStubsWhenOverlay() throws Exception {
    ExecResult result =
        run("FROM busybox\nRUN echo new > /new && echo changed >> /etc/motd && rm /etc/old"
            + " && touch /tmp/gone && rm /tmp/gone\n");

    LayerChanges.OverlayUpper upper = (LayerChanges.OverlayUpper) result.changes();
    Path root = upper.root();
    assertThat(root.resolve("new")).hasContent("new");
    assertThat(root.resolve("etc/motd")).hasContent("welcome\nchanged");
    UnixAttributes whiteout = UnixAttributes.of(root.resolve("etc/old"));
    assertThat(whiteout.type()).isEqualTo(0020000);
    assertThat(whiteout.rdev()).isZero();
    assertThat(tree(root)).containsExactlyInAnyOrder("new", "etc", "etc/motd", "etc/old", "tmp");
    assertThat(tree(root.resolve("tmp"))).isEmpty();
    assertNothingLeftBehind();
  }

  @Test
  void doesRecordAdditionsChangesAndDeletionsWhenCopying() throws Exception {
    executor = open(RootfsMode.COPY);

    ExecResult result =
        run("FROM busybox\nRUN echo new > /new && echo changed >> /etc/motd && rm /etc/old"
            + " && touch /tmp/gone && rm /tmp/gone && mkdir -p /cache/x\n"
            .replace("\n", "") + "\n");

    LayerChanges.Diff diff = (LayerChanges.Diff) result.changes();
    assertThat(diff.deletions()).containsExactly("etc/old");
    assertThat(tree(diff.root()))
        .containsExactlyInAnyOrder("new", "etc", "etc/motd", "tmp", "cache", "cache/x");
    assertThat(diff.root().resolve("etc/motd")).hasContent("welcome\nchanged");
    assertNothingLeftBehind();
  }

  @Test
  void doesWriteTheSameLayerEntriesWhenOverlayOrCopy() throws Exception {
    String dockerfile =
        "FROM busybox\nRUN echo new > /new && echo changed >> /etc/motd && rm /etc/old"
            + " && mkdir -p /opt/a && ln -s /new /opt/a/link && chmod 700 /home/app"
            + " && touch /tmp/gone && rm /tmp/gone\n";
    List<String> overlay = layerEntries(run(dockerfile).changes());
    executor = open(RootfsMode.COPY);
    List<String> copy = layerEntries(run(dockerfile).changes());

    assertThat(overlay)
        .containsExactlyInAnyOrder(
            "Directory etc", "Whiteout etc/old", "File etc/motd", "Directory home",
            "Directory home/app", "File new", "Directory opt", "Directory opt/a",
            "Symlink opt/a/link", "Directory tmp");
    // The same entries; the writer orders a whiteout that comes from an overlay upper directory
    // among the other entries, and one from a deletion list before them.
    assertThat(copy).containsExactlyInAnyOrderElementsOf(overlay);
    assertNothingLeftBehind();
  }

  private static List<String> layerEntries(LayerChanges changes) throws IOException {
    ByteArrayOutputStream layer = new ByteArrayOutputStream();
    changes.write(LayerWriteOptions.defaults(), layer);
    List<String> entries = new ArrayList<>();
    try (LayerReader reader = LayerReader.open(new ByteArrayInputStream(layer.toByteArray()))) {
      for (var entry = reader.next(); entry.isPresent(); entry = reader.next()) {
        entries.add(entry.get().getClass().getSimpleName() + " " + entry.get().path());
      }
    }
    return entries;
  }

  @Test
  void doesSeeEarlierStepsWhenSnapshotStacksTheirUpperDirectories() throws Exception {
    ExecResult first =
        run("FROM busybox\nRUN rm /etc/old && mkdir /data && echo one > /data/f\n");
    Snapshot stacked = new Snapshot(List.of(first.changes().root(), image));
    Vertex vertex =
        runVertex("FROM busybox\nRUN --mount=type=bind,from=busybox,source=/data,target=/mnt"
            + " test ! -e /etc/old && cat /data/f /mnt/f && echo two >> /data/f\n");
    Path destination = work.resolve("second");

    ExecResult second =
        executor.run(
            ExecRequest.of(
                vertex, "Dockerfile", List.of(stacked, stacked), destination,
                BuildSession.empty()),
            listener);

    assertThat(stdout()).containsExactly("one", "one");
    assertThat(second.changes().root().resolve("data/f")).hasContent("one\ntwo");
    assertThat(first.changes().root().resolve("data/f")).hasContent("one");
    assertThat(tree(second.changes().root())).containsExactlyInAnyOrder("data", "data/f");
    assertNothingLeftBehind();
  }

  @Test
  void doesSeeOnlyLoopbackWhenNetworkIsNone() throws Exception {
    run("FROM busybox\nRUN --network=none ls /sys/class/net\n");

    assertThat(stdout()).containsExactly("lo");
  }

  @Test
  void doesSeeTheHostsInterfacesWhenNetworkIsDefault() throws Exception {
    List<String> host;
    try (Stream<Path> interfaces = Files.list(Path.of("/sys/class/net"))) {
      host = interfaces.map(p -> p.getFileName().toString()).sorted().toList();
    }
    run("FROM busybox\nRUN ls /sys/class/net\n");

    assertThat(stdout()).containsExactlyElementsOf(host);
  }

  @Test
  void doesKeepGeneratedEtcFilesOutOfTheLayerWhenStepWritesThem() throws Exception {
    ExecResult result =
        run("FROM busybox\nRUN cat /etc/hosts /etc/hostname && echo x >> /etc/hosts\n");

    assertThat(stdout()).contains(ExecutorOptions.DEFAULT_HOSTNAME);
    assertThat(tree(result.changes().root())).isEmpty();
  }

  @Test
  void doesRefuseInsecureWhenEntitlementIsMissing() throws Exception {
    ExecRequest request =
        request("FROM busybox\nRUN --security=insecure true\n", BuildSession.empty());

    assertThatThrownBy(() -> executor.run(request, listener))
        .isInstanceOf(RunSetupException.class)
        .hasMessageContaining("security.insecure");
    assertNothingLeftBehind();
  }

  @Test
  void doesGrantAllCapabilitiesWhenInsecureIsEntitled() throws Exception {
    BuildSession session =
        new BuildSession(
            SecretStore.none(), Map.of(), Set.of(BuildSession.Entitlement.SECURITY_INSECURE));
    run("FROM busybox\nRUN grep CapEff /proc/self/status\n");
    run("FROM busybox\nRUN --security=insecure grep CapEff /proc/self/status\n", session);

    assertThat(stdout()).hasSize(2);
    long sandboxed = Long.parseLong(stdout().get(0).split("\\s+")[1], 16);
    long insecure = Long.parseLong(stdout().get(1).split("\\s+")[1], 16);
    assertThat(Long.bitCount(insecure)).isGreaterThan(Long.bitCount(sandboxed));
    assertThat(sandboxed & (1L << 21)).as("CAP_SYS_ADMIN when sandboxed").isZero();
    assertThat(insecure & (1L << 21)).as("CAP_SYS_ADMIN when insecure").isNotZero();
  }

  @Test
  void doesMountBindReadOnlyWhenNotRw() throws Exception {
    ExecRequest request =
        request(
            "FROM busybox\nRUN --mount=type=bind,target=/ctx cat /ctx/input.txt"
                + " && ! touch /ctx/new 2>/dev/null\n",
            BuildSession.empty());

    ExecResult result = executor.run(request, listener);

    assertThat(stdout()).containsExactly("from the context");
    assertThat(tree(result.changes().root())).isEmpty();
    assertThat(tree(context)).containsExactly("input.txt");
  }

  @Test
  void doesDiscardWritesWhenBindIsRw() throws Exception {
    ExecResult result =
        run("FROM busybox\nRUN --mount=type=bind,target=/ctx,rw echo more >> /ctx/input.txt"
            + " && touch /ctx/new && cat /ctx/input.txt\n");

    assertThat(stdout()).containsExactly("from the context", "more");
    assertThat(tree(context)).containsExactly("input.txt");
    assertThat(context.resolve("input.txt")).hasContent("from the context");
    assertThat(tree(result.changes().root())).isEmpty();
    assertNothingLeftBehind();
  }

  @Test
  void doesMountASingleFileWhenBindSourceIsAFile() throws Exception {
    ExecResult result =
        run("FROM busybox\nRUN --mount=type=bind,source=input.txt,target=/opt/in.txt"
            + " cat /opt/in.txt\n");

    assertThat(stdout()).containsExactly("from the context");
    assertThat(tree(result.changes().root())).isEmpty();
  }

  @Test
  void doesKeepCacheContentsAcrossStepsWhenCacheMounted() throws Exception {
    ExecResult first =
        run("FROM busybox\nRUN --mount=type=cache,target=/root/.cache,id=c1"
            + " echo kept > /root/.cache/file\n");
    run("FROM busybox\nRUN --mount=type=cache,target=/var/cache/other,id=c1"
        + " cat /var/cache/other/file\n");

    assertThat(stdout()).containsExactly("kept");
    assertThat(tree(first.changes().root())).isEmpty();
    assertThat(executor.cacheMounts().directory("c1").orElseThrow().resolve("file"))
        .hasContent("kept");
  }

  @Test
  void doesApplyOwnerAndModeWhenCacheIsNew() throws Exception {
    run("FROM busybox\nRUN --mount=type=cache,target=/c,uid=1000,gid=999,mode=0750"
        + " stat -c '%u %g %a' /c\n");

    assertThat(stdout()).containsExactly("1000 999 750");
  }

  @Test
  void doesSeedTheCacheWhenFromIsGiven() throws Exception {
    run("FROM busybox\nRUN --mount=type=cache,target=/c,id=seeded,from=busybox,source=/etc"
        + " cat /c/motd\n");

    assertThat(stdout()).containsExactly("welcome");
  }

  @Test
  void doesShareOneCacheBetweenConcurrentStepsWhenShared() throws Exception {
    String wait =
        "touch /c/$ME; for i in $(seq 1 100); do [ -e /c/$OTHER ] && exit 0; sleep 0.1; done;"
            + " exit 1";
    List<Integer> results =
        concurrently(
            "FROM busybox\nENV ME=a OTHER=b\nRUN --mount=type=cache,target=/c,id=s,sharing=shared "
                + wait + "\n",
            "FROM busybox\nENV ME=b OTHER=a\nRUN --mount=type=cache,target=/c,id=s,sharing=shared "
                + wait + "\n");

    assertThat(results).containsExactly(0, 0);
  }

  @Test
  void doesGiveEachConcurrentStepItsOwnCacheWhenPrivate() throws Exception {
    String alone = "touch /c/$ME; sleep 1; test $(ls /c | wc -l) -eq 1";
    List<Integer> results =
        concurrently(
            "FROM busybox\nENV ME=a\nRUN --mount=type=cache,target=/c,id=p,sharing=private "
                + alone + "\n",
            "FROM busybox\nENV ME=b\nRUN --mount=type=cache,target=/c,id=p,sharing=private "
                + alone + "\n");

    assertThat(results).containsExactly(0, 0);
  }

  @Test
  void doesRunConcurrentStepsOneAfterTheOtherWhenLocked() throws Exception {
    String exclusive = "[ ! -e /c/busy ] && touch /c/busy && sleep 1 && rm /c/busy";
    List<Integer> results =
        concurrently(
            "FROM busybox\nRUN --mount=type=cache,target=/c,id=l,sharing=locked " + exclusive
                + "\n",
            "FROM busybox\nRUN --mount=type=cache,target=/c,id=l,sharing=locked " + exclusive
                + "\n");

    assertThat(results).containsExactly(0, 0);
  }

  /** Runs the steps at once; 0 for success, else the exit code. */
  private List<Integer> concurrently(String... dockerfiles) throws Exception {
    List<Future<Integer>> futures = new ArrayList<>();
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (String dockerfile : dockerfiles) {
        ExecRequest request = request(dockerfile, BuildSession.empty());
        futures.add(
            pool.submit(
                () -> {
                  try {
                    executor.run(request, listener);
                    return 0;
                  } catch (RunFailedException e) {
                    return e.exitCode().orElse(-1);
                  }
                }));
      }
      List<Integer> results = new ArrayList<>();
      for (Future<Integer> future : futures) {
        results.add(future.get(60, TimeUnit.SECONDS));
      }
      return results;
    }
  }

  @Test
  void doesMountTmpfsWithItsSizeAndKeepItOutOfTheLayer() throws Exception {
    ExecResult result =
        run("FROM busybox\nRUN --mount=type=tmpfs,target=/scratch,size=1m"
            + " echo x > /scratch/f && grep ' /scratch ' /proc/mounts\n");

    assertThat(stdout()).hasSize(1);
    assertThat(stdout().getFirst()).contains("tmpfs").contains("size=1024k");
    assertThat(tree(result.changes().root())).isEmpty();
  }

  @Test
  void doesExposeSecretsAsFileAndEnvWithoutLeavingThemAnywhere() throws Exception {
    Path secretFile = work.resolve("secret.txt");
    Files.writeString(secretFile, SECRET);
    BuildSession session =
        new BuildSession(
            SecretStore.of(Map.of("tok", secretFile), Map.of("api", SECRET)), Map.of(), Set.of());

    List<String> specsSeen = new CopyOnWriteArrayList<>();
    OutputListener watching =
        (stream, line) -> {
          listener.line(stream, line);
          try (Stream<Path> bundles = Files.list(executor.bundleDirectory())) {
            bundles.forEach(b -> specsSeen.add(b.resolve("config.json").toString()));
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        };
    ExecRequest request =
        request(
            "FROM busybox\nRUN --mount=type=secret,id=tok --mount=type=secret,id=api,env=API"
                + " test \"$(cat /run/secrets/tok)\" = \"$API\" && stat -c %a /run/secrets/tok"
                + " && echo done\n",
            session);

    ExecResult result = executor.run(request, watching);

    assertThat(stdout()).containsExactly("400", "done");
    assertThat(String.join("\n", output)).doesNotContain(SECRET);
    assertThat(specsSeen).isNotEmpty().allSatisfy(spec -> assertThat(Path.of(spec)).doesNotExist());
    assertThat(tree(result.changes().root())).isEmpty();
    assertThat(containsBytes(work.resolve("state"), SECRET)).isFalse();
    assertNothingLeftBehind();
  }

  @Test
  void doesNameTheSourceWhenBindSourceIsMissing() throws Exception {
    ExecRequest request =
        request("FROM busybox\nRUN --mount=type=bind,source=missing,target=/x true\n",
            BuildSession.empty());

    assertThatThrownBy(() -> executor.run(request, listener))
        .isInstanceOf(RunSetupException.class)
        .hasMessageContaining("Dockerfile:2")
        .hasMessageContaining("bind mount source \"missing\" not found");
    assertThat(request.destination()).doesNotExist();
    assertNothingLeftBehind();
  }

  @Test
  void doesFailNamingTheSecretWhenRequiredSecretIsMissing() throws Exception {
    ExecRequest request =
        request("FROM busybox\nRUN --mount=type=secret,id=nope,required true\n",
            BuildSession.empty());

    assertThatThrownBy(() -> executor.run(request, listener))
        .isInstanceOf(RunSetupException.class)
        .hasMessageContaining("secret \"nope\"");
    assertNothingLeftBehind();
  }

  @Test
  void doesForwardTheAgentSocketWhenSshIsGiven() throws Exception {
    Path socket = work.resolve("agent.sock");
    try (ServerSocketChannel agent =
        ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
      agent.bind(UnixDomainSocketAddress.of(socket));
      BuildSession session =
          new BuildSession(SecretStore.none(), Map.of("default", socket), Set.of());

      ExecResult result =
          run("FROM busybox\nRUN --mount=type=ssh test -S \"$SSH_AUTH_SOCK\" && echo $SSH_AUTH_SOCK\n",
              session);

      assertThat(stdout()).containsExactly("/run/buildkit/ssh_agent.0");
      assertThat(tree(result.changes().root())).isEmpty();
    }
  }

  @Test
  void doesKillAndCleanUpWhenCancelled() throws Exception {
    ExecRequest request =
        request("FROM busybox\nRUN echo started && sleep 600\n", BuildSession.empty());
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<ExecResult> running = pool.submit(() -> executor.run(request, listener));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!output.contains("STDOUT started") && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(output).contains("STDOUT started");
      assertThat(MountTable.mountPointsUnder(work)).isNotEmpty();

      running.cancel(true);

      assertThatThrownBy(() -> running.get())
          .isInstanceOf(java.util.concurrent.CancellationException.class);
    }
    // The pool's close waited for the step to finish its clean-up.
    assertThat(request.destination()).doesNotExist();
    assertNothingLeftBehind();
  }

  @Test
  void doesKillTheProcessWhenTimeLimitPasses() throws Exception {
    ExecRequest request =
        request("FROM busybox\nRUN sleep 600\n", BuildSession.empty())
            .withTimeout(Duration.ofSeconds(1));

    assertThatThrownBy(() -> executor.run(request, listener))
        .isInstanceOfSatisfying(
            RunFailedException.class, e -> assertThat(e.exitCode()).isEmpty())
        .hasMessageContaining("did not finish within");
    assertNothingLeftBehind();
  }

  @Test
  void doesRemoveLeftoversOfACrashedRunWhenOpened() throws Exception {
    Path bundle = Files.createDirectories(executor.bundleDirectory().resolve("slipway-crashed"));
    Path rootfs = Files.createDirectories(bundle.resolve("rootfs"));
    HostCommand.run(List.of("mount", "-t", "tmpfs", "tmpfs", rootfs.toString()));
    Files.writeString(bundle.resolve("config.json"), "{}");

    executor = open(RootfsMode.OVERLAY);

    assertNothingLeftBehind();
  }

  @Test
  void doesKillTheContainerAndUnmountItsRootWhenACrashLeftThemRunning() throws Exception {
    // What a builder killed mid-step leaves: a running container, a mounted overlay, a bundle
    // whose lock nobody holds.
    String id = "slipway-crashed0000000";
    Path bundle = Files.createDirectories(executor.bundleDirectory().resolve(id));
    RootfsMount rootfs = RootfsMount.prepare(RootfsMode.OVERLAY, Snapshot.of(image), bundle);
    new RuntimeSpec(
            List.of("/bin/sleep", "600"), List.of(), "/", ResolvedUser.root(),
            Operation.NetworkMode.NONE, false, "crashed", List.of())
        .write(bundle.resolve("config.json"));
    Runc runc = new Runc(executor.runcBinary(), executor.runcStateDirectory());
    Process detached =
        new ProcessBuilder(runc.command("run", "--detach", "--bundle", bundle.toString(), id))
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    assertThat(detached.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(runc.list()).containsExactly(id);
    // The directory listing agrees with runc's own.
    assertThat(HostCommand.runUninterruptibly(runc.command("list", "--quiet")).output().strip())
        .isEqualTo(id);
    assertThat(MountTable.mountPointsUnder(rootfs.root())).isNotEmpty();

    executor = open(RootfsMode.OVERLAY);

    assertNothingLeftBehind();
  }

  @Test
  void doesLeaveNoStubsWhenMountTargetsAreDeep() throws Exception {
    ExecResult result =
        run("FROM busybox\nRUN --mount=type=tmpfs,target=/var/lib/deep/cache"
            + " --mount=type=cache,target=/run/c true\n");

    assertThat(tree(result.changes().root())).isEmpty();
  }

  private static boolean containsBytes(Path root, String needle) throws IOException {
    byte[] wanted = needle.getBytes(StandardCharsets.UTF_8);
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
            && new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)
                .contains(new String(wanted, StandardCharsets.ISO_8859_1))) {
          return true;
        }
      }
    }
    return false;
  }
}
