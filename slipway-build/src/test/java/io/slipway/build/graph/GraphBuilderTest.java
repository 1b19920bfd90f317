package io.slipway.build.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.build.dockerfile.DockerfileException;
import io.slipway.build.dockerfile.DockerfileParser;
import io.slipway.build.dockerfile.RunMount;
import io.slipway.oci.Digest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GraphBuilderTest {

  private static final Platform AMD64 = Platform.parse("linux/amd64");
  private static final BuildOptions OPTIONS =
      BuildOptions.defaults().withTargetPlatform(AMD64);

  private static BuildGraph build(String text) {
    return build(text, OPTIONS);
  }

  private static BuildGraph build(String text, BuildOptions options) {
    return GraphBuilder.build(
        DockerfileParser.parse("Dockerfile", text),
        new BuildOptions(options.target(), options.buildArgs(), options.targetPlatform(), AMD64,
            options.ignorePatterns()),
        ImageResolver.offline());
  }

  private static DockerfileException failure(String text, BuildOptions options) {
    try {
      build(text, options);
    } catch (DockerfileException e) {
      return e;
    }
    throw new AssertionError("expected a DockerfileException");
  }

  private static Operation.Exec exec(Vertex vertex) {
    return (Operation.Exec) vertex.operation();
  }

  @Test
  void buildsLastStageAndPrunesUnreachableStages() {
    BuildGraph graph =
        build(
            "FROM alpine AS unused\nRUN echo unused\n"
                + "FROM golang:1.22 AS build\nRUN go build -o /app\n"
                + "FROM scratch\nCOPY --from=build /app /app\n");
    assertThat(graph.stages()).extracting(BuildStage::displayName).containsExactly("build", "2");
    assertThat(graph.target().index()).isEqualTo(2);
    assertThat(graph.vertices())
        .noneMatch(v -> v.operation() instanceof Operation.Image i && i.reference().equals("alpine"));
  }

  @Test
  void buildsNamedTargetWhenRequested() {
    BuildGraph graph =
        build("FROM alpine AS base\nRUN a\nFROM base AS Test\nRUN b\nFROM base\nRUN c\n",
            OPTIONS.withTarget("test"));
    assertThat(graph.target().name()).contains("test");
    assertThat(graph.stages()).extracting(BuildStage::displayName).containsExactly("base", "test");
  }

  @Test
  void rejectsUnknownTarget() {
    DockerfileException e = failure("FROM alpine AS a\nFROM alpine AS b\n",
        OPTIONS.withTarget("c"));
    assertThat(e.kind()).isEqualTo(DockerfileException.Kind.INVALID_STAGE);
    assertThat(e.detail()).isEqualTo("target stage \"c\" could not be found (stages: a, b)");
  }

  @Test
  void inheritsConfigWhenFromNamesAStage() {
    BuildGraph graph =
        build("FROM alpine AS base\nENV A=1\nWORKDIR /srv\nUSER app\nFROM base\nRUN pwd\n");
    Operation.Exec run = exec(graph.target().root());
    assertThat(run.workingDir()).isEqualTo("/srv");
    assertThat(run.user()).isEqualTo("app");
    assertThat(run.env()).contains("A=1");
    assertThat(graph.target().config().envValue("A")).contains("1");
  }

  @Test
  void treatsOwnNameAsImageWhenStageSharesBaseName() {
    BuildGraph graph = build("FROM golang AS golang\nRUN go version\n");
    Vertex image = graph.target().root().inputs().getFirst();
    assertThat(image.operation()).isEqualTo(new Operation.Image("golang", AMD64, Optional.empty()));
  }

  @Test
  void copiesFromStageIndexAndImage() {
    BuildGraph graph =
        build(
            "FROM alpine\nRUN make\nFROM scratch\nCOPY --from=0 /out /a\n"
                + "COPY --from=nginx:1.27 /etc/nginx /etc/nginx\n");
    Vertex last = graph.target().root();
    assertThat(last.inputs().get(1).operation())
        .isEqualTo(new Operation.Image("nginx:1.27", AMD64, Optional.empty()));
    Vertex first = last.inputs().getFirst();
    assertThat(first.inputs().get(1)).isEqualTo(graph.stages().getFirst().root());
  }

  @Test
  void rejectsIndexOfCurrentOrLaterStage() {
    DockerfileException e = failure("FROM alpine\nFROM alpine\nCOPY --from=1 /a /b\n", OPTIONS);
    assertThat(e.kind()).isEqualTo(DockerfileException.Kind.INVALID_STAGE);
    assertThat(e.detail())
        .isEqualTo("--from=1 refers to stage 1, but only earlier stages (0 to 0) can be named by"
            + " index");
  }

  @Test
  void expandsStageReferencesFromArgs() {
    BuildGraph graph =
        build("ARG BASE=builder\nFROM alpine AS builder\nRUN make\nFROM ${BASE}\n"
            + "ARG SRC=builder\nCOPY --from=${SRC} /out /copy\n");
    Vertex copy = graph.target().root();
    assertThat(copy.inputs().get(0)).isEqualTo(graph.stages().getFirst().root());
    assertThat(copy.inputs().get(1)).isEqualTo(graph.stages().getFirst().root());
  }

  @Test
  void rejectsCycleBetweenStages() {
    DockerfileException e =
        failure("FROM alpine AS a\nCOPY --from=b /x /x\nFROM alpine AS b\nCOPY --from=a /y /y\n",
            OPTIONS);
    assertThat(e.kind()).isEqualTo(DockerfileException.Kind.INVALID_STAGE);
    assertThat(e.getMessage())
        .isEqualTo(
            "Dockerfile:3:1: circular dependency detected on stage: b in \"FROM alpine AS b\"");
  }

  @Test
  void rejectsCopyFromItself() {
    DockerfileException e = failure("FROM alpine AS a\nCOPY --from=a /x /y\n", OPTIONS);
    assertThat(e.detail()).isEqualTo("circular dependency detected on stage: a");
  }

  @Test
  void givesIdenticalDigestsWhenBuiltTwice() {
    String text = "FROM alpine\nARG V=1\nRUN --mount=type=cache,target=/c make $V\nCOPY . /src\n";
    assertThat(build(text).target().root().digest())
        .isEqualTo(build(text).target().root().digest());
  }

  @Test
  void sharesDigestsOfIdenticalSubgraphsAcrossDockerfiles() {
    BuildGraph one = build("FROM alpine\nRUN apk add curl\nRUN echo one\n");
    BuildGraph two = build("FROM alpine\nRUN apk add curl\nRUN echo two\n");
    Vertex sharedOne = one.target().root().inputs().getFirst();
    Vertex sharedTwo = two.target().root().inputs().getFirst();
    assertThat(sharedOne.digest()).isEqualTo(sharedTwo.digest());
    assertThat(one.target().root().digest()).isNotEqualTo(two.target().root().digest());
  }

  @Test
  void givesSameDigestsWhenManyThreadsParseAndBuildAtOnce() throws Exception {
    String text = "FROM golang AS build\nRUN --mount=type=cache,target=/c go build\n"
        + "FROM scratch\nCOPY --from=build /app /app\n";
    Digest expected = build(text).target().root().digest();
    List<java.util.concurrent.Future<Digest>> results = new java.util.ArrayList<>();
    try (var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 64; i++) {
        results.add(executor.submit(() -> build(text).target().root().digest()));
      }
      for (var result : results) {
        assertThat(result.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(expected);
      }
    }
  }

  @Test
  void changesDigestWhenBuildArgChanges() {
    String text = "FROM alpine\nARG V\nRUN echo\n";
    Digest a = build(text, OPTIONS.withBuildArgs(Map.of("V", "1"))).target().root().digest();
    Digest b = build(text, OPTIONS.withBuildArgs(Map.of("V", "2"))).target().root().digest();
    assertThat(a).isNotEqualTo(b);
  }

  @Test
  void listsEveryVertexAfterItsInputs() {
    BuildGraph graph =
        build("FROM alpine AS a\nRUN a\nFROM alpine AS b\nRUN b\nFROM a\nCOPY --from=b / /\n");
    List<Vertex> vertices = graph.vertices();
    for (int i = 0; i < vertices.size(); i++) {
      for (Vertex input : vertices.get(i).inputs()) {
        assertThat(vertices.indexOf(input)).isBetween(0, i - 1);
      }
    }
    assertThat(vertices).doesNotHaveDuplicates();
  }

  @Test
  void usesGlobalArgInFromLines() {
    BuildGraph graph =
        build("ARG GO=1.21\nFROM golang:${GO}-alpine\n", OPTIONS.withBuildArgs(Map.of("GO", "1.22")));
    assertThat(graph.target().root().operation())
        .isEqualTo(new Operation.Image("golang:1.22-alpine", AMD64, Optional.empty()));
  }

  @Test
  void hidesGlobalArgInStageUntilRedeclared() {
    BuildGraph graph =
        build("ARG V=1\nFROM alpine\nRUN echo a$V\nARG V\nRUN echo b$V\nLABEL v=$V\n");
    BuildStage stage = graph.target();
    Vertex second = stage.root();
    Vertex first = second.inputs().getFirst();
    assertThat(exec(first).env()).noneMatch(e -> e.startsWith("V="));
    assertThat(exec(second).env()).contains("V=1");
    assertThat(stage.config().labels()).containsEntry("v", "1");
  }

  @Test
  void letsEnvOverrideArgOfSameName() {
    BuildGraph graph =
        build("FROM alpine\nARG V=arg\nENV V=env\nLABEL v=$V\n",
            OPTIONS.withBuildArgs(Map.of("V", "cli")));
    assertThat(graph.target().config().labels()).containsEntry("v", "env");
  }

  @Test
  void expandsEnvPairsAgainstVariablesBeforeTheInstruction() {
    BuildGraph graph = build("FROM alpine\nENV abc=hello\nENV abc=bye def=$abc\nENV ghi=$abc\n");
    assertThat(graph.target().config().env())
        .containsExactly("abc=bye", "def=hello", "ghi=bye");
  }

  @Test
  void letsBuildArgOverrideStageDefault() {
    BuildGraph graph =
        build("FROM alpine\nARG V=default\nLABEL v=$V\n", OPTIONS.withBuildArgs(Map.of("V", "cli")));
    assertThat(graph.target().config().labels()).containsEntry("v", "cli");
  }

  @Test
  void givesProxyArgsToRunWithoutDeclaration() {
    BuildGraph graph =
        build("FROM alpine\nRUN wget x\n",
            OPTIONS.withBuildArgs(Map.of("HTTPS_PROXY", "http://proxy:3128", "OTHER", "x")));
    assertThat(exec(graph.target().root()).env())
        .contains("HTTPS_PROXY=http://proxy:3128")
        .noneMatch(e -> e.startsWith("OTHER="));
  }

  @Test
  void setsAutomaticPlatformArgs() {
    BuildGraph graph =
        build(
            "FROM --platform=$BUILDPLATFORM golang AS build\nARG TARGETOS TARGETARCH\n"
                + "RUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build\n",
            OPTIONS.withTargetPlatform(Platform.parse("linux/arm64")));
    Operation.Exec run = exec(graph.target().root());
    assertThat(run.args().getLast()).isEqualTo("GOOS=$TARGETOS GOARCH=$TARGETARCH go build");
    assertThat(run.env()).contains("TARGETOS=linux", "TARGETARCH=arm64");
    assertThat(graph.target().platform()).isEqualTo(AMD64);
  }

  @Test
  void failsWithLocationWhenRequiredVariableUnset() {
    DockerfileException e = failure("FROM alpine\nWORKDIR ${APP:?set APP}\n", OPTIONS);
    assertThat(e.kind()).isEqualTo(DockerfileException.Kind.UNDEFINED_REQUIRED_VARIABLE);
    assertThat(e.getMessage())
        .isEqualTo("Dockerfile:2:9: APP: set APP in \"WORKDIR ${APP:?set APP}\"");
  }

  @Test
  void makesDirectoryForWorkdirAndResolvesRelativePaths() {
    BuildGraph graph = build("FROM alpine\nWORKDIR /srv\nWORKDIR app\nRUN ls\n");
    Operation.Exec run = exec(graph.target().root());
    assertThat(run.workingDir()).isEqualTo("/srv/app");
    Vertex mkdir = graph.target().root().inputs().getFirst();
    assertThat(mkdir.operation())
        .isEqualTo(
            new Operation.FileOp(
                List.of(new FileAction.Mkdir("/srv/app", 0755, true, Optional.empty()))));
  }

  @Test
  void runsShellFormThroughStageShell() {
    BuildGraph graph = build("FROM alpine\nSHELL [\"/bin/bash\", \"-eo\", \"pipefail\", \"-c\"]\n"
        + "RUN echo hi | cat\nCMD run\n");
    assertThat(exec(graph.target().root()).args())
        .containsExactly("/bin/bash", "-eo", "pipefail", "-c", "echo hi | cat");
    assertThat(graph.target().config().cmd())
        .contains(List.of("/bin/bash", "-eo", "pipefail", "-c", "run"));
  }

  @Test
  void convertsMountsNetworkAndSecurity() {
    BuildGraph graph =
        build(
            "FROM alpine AS deps\nFROM alpine\nWORKDIR /w\n"
                + "RUN --mount=type=cache,target=.cache,id=c,sharing=private"
                + " --mount=type=bind,from=deps,source=/lib,target=/deps"
                + " --mount=type=secret,id=tok,env=TOKEN --mount=type=ssh --mount=type=tmpfs,target=/t"
                + " --network=none --security=insecure make\n");
    Vertex vertex = graph.target().root();
    Operation.Exec run = exec(vertex);
    assertThat(run.network()).isEqualTo(Operation.NetworkMode.NONE);
    assertThat(run.security()).isEqualTo(Operation.SecurityMode.INSECURE);
    assertThat(run.mounts())
        .containsExactly(
            new ExecMount.Cache("/w/.cache", "c", RunMount.Sharing.PRIVATE, -1, "/", false, 0755, 0,
                0),
            new ExecMount.Bind("/deps", 1, "/lib", true),
            new ExecMount.Secret("", "tok", "TOKEN", false, 0400, 0, 0),
            new ExecMount.Ssh("/run/buildkit/ssh_agent.0", "default", false, 0600, 0, 0),
            new ExecMount.Tmpfs("/t", 0));
    assertThat(vertex.inputs().get(1)).isEqualTo(graph.stages().getFirst().root());
  }

  @Test
  void runsSimpleHeredocThroughShell() {
    BuildGraph graph = build("FROM alpine\nRUN <<EOF\necho $HOME\nEOF\n");
    assertThat(exec(graph.target().root()).args())
        .containsExactly("/bin/sh", "-c", "echo $HOME\n");
  }

  @Test
  void runsShebangHeredocAsFile() {
    BuildGraph graph = build("FROM python\nRUN <<EOF\n#!/usr/bin/env python3\nprint(1)\nEOF\n");
    Vertex vertex = graph.target().root();
    assertThat(exec(vertex).args()).containsExactly("/dev/pipes/EOF");
    assertThat(exec(vertex).mounts()).containsExactly(new ExecMount.Bind("/dev/pipes/", 1, "/", true));
    assertThat(vertex.inputs().get(1).operation())
        .isEqualTo(
            new Operation.FileOp(
                List.of(
                    new FileAction.Mkfile(
                        "/EOF", 0755, "#!/usr/bin/env python3\nprint(1)\n", Optional.empty()))));
  }

  @Test
  void passesHeredocToShellWhenCommandUsesIt() {
    BuildGraph graph = build("FROM alpine\nRUN cat <<A > /a\nhello\nA\n");
    assertThat(exec(graph.target().root()).args())
        .containsExactly("/bin/sh", "-c", "cat <<A > /a\nhello\nA");
  }

  @Test
  void writesCopyHeredocWithExpansionUnlessQuoted() {
    BuildGraph graph =
        build("FROM alpine\nARG NAME=world\nCOPY <<A <<'B' /etc/\nhi $NAME\nA\nhi $NAME\nB\n");
    Vertex copy = graph.target().root();
    Vertex files = copy.inputs().get(1);
    assertThat(files.operation())
        .isEqualTo(
            new Operation.FileOp(
                List.of(
                    new FileAction.Mkfile("/A", 0644, "hi world\n", Optional.empty()),
                    new FileAction.Mkfile("/B", 0644, "hi $NAME\n", Optional.empty()))));
  }

  @Test
  void selectsContextPathsAndIgnorePatternsForCopy() {
    BuildGraph graph =
        build("FROM alpine\nWORKDIR /app\nCOPY --exclude=*.md ./src pom.xml ./\n",
            OPTIONS.withIgnorePatterns(List.of("target")));
    Vertex copy = graph.target().root();
    assertThat(copy.inputs().get(1).operation())
        .isEqualTo(new Operation.Local("context", List.of("src", "pom.xml"),
            List.of("target", "*.md")));
    assertThat(copy.operation())
        .isEqualTo(
            new Operation.FileOp(
                List.of(
                    new FileAction.Copy(1, List.of("./src", "pom.xml"), "/app/", Optional.empty(),
                        Optional.empty(), false, false, List.of("*.md")))));
  }

  @Test
  void mergesOntoStageWhenCopyLinks() {
    BuildGraph graph = build("FROM alpine\nCOPY --link --chmod=755 run.sh /usr/bin/\n");
    Vertex merge = graph.target().root();
    assertThat(merge.operation()).isEqualTo(new Operation.Merge());
    Vertex layer = merge.inputs().get(1);
    assertThat(layer.inputs().getFirst().operation()).isEqualTo(new Operation.Scratch());
  }

  @Test
  void downloadsUrlsAndClonesGitForAdd() {
    String sum = "sha256:" + "b".repeat(64);
    BuildGraph graph =
        build("FROM alpine\nADD --checksum=" + sum + " https://example.com/tool.tgz /opt/\n"
            + "ADD --keep-git-dir https://github.com/acme/app.git#v1.2:src /src\n");
    Vertex git = graph.target().root();
    assertThat(git.inputs().get(1).operation())
        .isEqualTo(new Operation.Git("https://github.com/acme/app.git", "v1.2", "src", true));
    Vertex http = git.inputs().getFirst();
    assertThat(http.inputs().get(1).operation())
        .isEqualTo(new Operation.Http("https://example.com/tool.tgz",
            Optional.of(Digest.parse(sum)), "tool.tgz"));
  }

  @Test
  void rejectsChecksumForLocalSources() {
    DockerfileException e =
        failure("FROM alpine\nADD --checksum=sha256:" + "c".repeat(64) + " a.tgz /x\n", OPTIONS);
    assertThat(e.detail()).isEqualTo("checksum can't be specified for non-HTTP(S) sources");
  }

  @Test
  void runsOnbuildTriggersOfBaseStage() {
    BuildGraph graph =
        build("FROM alpine AS base\nONBUILD RUN echo triggered\nFROM base\nRUN echo child\n");
    Vertex child = graph.target().root();
    Vertex trigger = child.inputs().getFirst();
    assertThat(exec(trigger).args().getLast()).isEqualTo("echo triggered");
    assertThat(graph.target().config().onBuild()).isEmpty();
    assertThat(graph.stages().getFirst().config().onBuild()).containsExactly("RUN echo triggered");
  }

  @Test
  void dropsInheritedCmdWhenEntrypointSet() {
    ImageConfig base =
        new ImageConfig(List.of("PATH=/bin"), "", "", Optional.empty(), Optional.of(List.of("sh")),
            new java.util.TreeMap<>(), new java.util.TreeSet<>(), new java.util.TreeSet<>(),
            Optional.empty(), Optional.empty(), ImageConfig.DEFAULT_SHELL, List.of(),
            Optional.empty());
    BuildGraph graph =
        GraphBuilder.build(
            DockerfileParser.parse("Dockerfile", "FROM base\nENTRYPOINT [\"/app\"]\nRUN x\n"),
            OPTIONS,
            (ref, platform) ->
                new ImageResolver.ResolvedImage(
                    Optional.of(Digest.sha256(ref.getBytes(java.nio.charset.StandardCharsets.UTF_8))),
                    base, true));
    assertThat(graph.target().config().cmd()).isEmpty();
    assertThat(graph.target().config().entrypoint()).contains(List.of("/app"));
    assertThat(exec(graph.target().root()).env()).containsExactly("PATH=/bin");
  }

  @Test
  void recordsMetadataInConfigAndHistory() {
    BuildGraph graph =
        build(
            "FROM alpine\nLABEL org.opencontainers.image.title=\"My App\"\nEXPOSE 8080 53/UDP\n"
                + "VOLUME /data\nSTOPSIGNAL SIGINT\nHEALTHCHECK --interval=5s CMD true\n"
                + "MAINTAINER me\nUSER 1000:1000\n");
    ImageConfig config = graph.target().config();
    assertThat(config.labels()).containsEntry("org.opencontainers.image.title", "My App");
    assertThat(config.exposedPorts()).containsExactly("53/udp", "8080/tcp");
    assertThat(config.volumes()).containsExactly("/data");
    assertThat(config.stopSignal()).contains("SIGINT");
    assertThat(config.healthcheck().orElseThrow().interval())
        .isEqualTo(java.time.Duration.ofSeconds(5));
    assertThat(config.author()).contains("me");
    assertThat(config.user()).isEqualTo("1000:1000");
    assertThat(graph.target().history())
        .extracting(HistoryEntry::createdBy)
        .containsExactly(
            "LABEL org.opencontainers.image.title=My App", "EXPOSE 8080/tcp 53/udp",
            "VOLUME [\"/data\"]", "STOPSIGNAL SIGINT", "HEALTHCHECK [\"CMD-SHELL\",\"true\"]",
            "MAINTAINER me", "USER 1000:1000");
  }

  @Test
  void rejectsInstructionBeforeFirstFrom() {
    assertThatThrownBy(() -> build("ENV A=1\nFROM alpine\n"))
        .isInstanceOf(DockerfileException.class)
        .hasMessage(
            "Dockerfile:1:1: ENV before the first FROM: only ARG may come before FROM in"
                + " \"ENV A=1\"");
    assertThatThrownBy(() -> build("ARG A\n"))
        .hasMessage(
            "Dockerfile:1:1: the Dockerfile has no FROM instruction, so there is no stage to"
                + " build");
  }

  @Test
  void rejectsBlankBaseName() {
    assertThat(failure("ARG BASE\nFROM $BASE\n", OPTIONS).detail())
        .isEqualTo("base name ($BASE) should not be blank");
  }
}
