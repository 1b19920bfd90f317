package io.slipway.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.build.dockerfile.Command;
import io.slipway.build.dockerfile.Dockerfile;
import io.slipway.build.dockerfile.DockerfileParser;
import io.slipway.build.dockerfile.Heredoc;
import io.slipway.build.dockerfile.Instruction;
import io.slipway.build.dockerfile.KeyValue;
import io.slipway.build.dockerfile.MountSpec;
import io.slipway.build.graph.BuildGraph;
import io.slipway.build.graph.BuildOptions;
import io.slipway.build.graph.BuildStage;
import io.slipway.build.graph.GraphBuilder;
import io.slipway.build.graph.ImageResolver;
import io.slipway.build.graph.Outline;
import io.slipway.build.graph.Platform;
import io.slipway.build.graph.Targets;
import io.slipway.build.graph.Vertex;
import io.slipway.build.lint.LintFinding;
import io.slipway.build.lint.Linter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Parses every Dockerfile of the corpus under {@code src/test/resources/corpus} and compares a
 * textual snapshot (instructions as parsed, targets, outline, lint findings, graph vertices and the
 * target digest) with the {@code .outline} file beside it. Run with
 * {@code -Dslipway.updateSnapshots=true} to rewrite the snapshots after an intended change, then
 * review the diff.
 */
class CorpusTest {

  private static final Path CORPUS = Path.of("src/test/resources/corpus");
  private static final Platform AMD64 = Platform.parse("linux/amd64");
  private static final BuildOptions OPTIONS =
      new BuildOptions(java.util.Optional.empty(), Map.of(), AMD64, AMD64, List.of());

  static Stream<String> corpus() throws IOException {
    try (Stream<Path> files = Files.list(CORPUS)) {
      return files.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".Dockerfile"))
          .sorted()
          .toList()
          .stream();
    }
  }

  @Test
  void holdsAtLeastFortyDockerfiles() throws IOException {
    assertThat(corpus().count()).isGreaterThanOrEqualTo(40);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void matchesSnapshotWhenParsed(String name) throws IOException {
    String text = Files.readString(CORPUS.resolve(name), StandardCharsets.UTF_8);
    // Windows Dockerfiles are converted for a Windows target, whose paths are normalised.
    BuildOptions options =
        name.startsWith("windows-")
            ? OPTIONS.withTargetPlatform(Platform.parse("windows/amd64"))
            : OPTIONS;
    String actual = snapshot(DockerfileParser.parse(name, text), options);
    Path expectedFile = CORPUS.resolve(name.replace(".Dockerfile", ".outline"));
    if (Boolean.getBoolean("slipway.updateSnapshots")) {
      Files.writeString(expectedFile, actual, StandardCharsets.UTF_8);
    }
    assertThat(expectedFile)
        .as("snapshot %s (regenerate with -Dslipway.updateSnapshots=true)", expectedFile)
        .exists();
    assertThat(actual).isEqualTo(Files.readString(expectedFile, StandardCharsets.UTF_8));
  }

  private static String snapshot(Dockerfile dockerfile, BuildOptions options) {
    StringBuilder out = new StringBuilder();
    out.append("== instructions (escape ").append(dockerfile.directives().escape())
        .append(dockerfile.directives().syntax().map(s -> ", syntax " + s).orElse(""))
        .append(")\n");
    for (Instruction instruction : dockerfile.instructions()) {
      out.append(instruction.origin().range()).append(' ').append(describe(instruction))
          .append('\n');
    }
    out.append("== targets\n").append(Targets.of(dockerfile).render());
    out.append("== outline\n").append(Outline.of(dockerfile, options).render());
    out.append("== check\n");
    for (LintFinding finding :
        Linter.check(dockerfile, options, ImageResolver.offline()).findings()) {
      out.append(finding.format(dockerfile.file())).append('\n');
    }
    BuildGraph graph = GraphBuilder.build(dockerfile, options, ImageResolver.offline());
    out.append("== graph\n");
    for (BuildStage stage : graph.stages()) {
      out.append("stage ").append(stage.displayName()).append(" (").append(stage.platform())
          .append(")\n");
    }
    for (Vertex vertex : graph.vertices()) {
      out.append(vertex.digest().encoded(), 0, 12).append(' ').append(vertex.operation().kind())
          .append(' ').append(vertex.description().replace("\n", "\\n")).append('\n');
    }
    out.append("target ").append(graph.target().displayName()).append(' ')
        .append(graph.target().root().digest()).append('\n');
    out.append("config ").append(graph.target().config()).append('\n');
    return out.toString();
  }

  private static String describe(Instruction instruction) {
    String body =
        switch (instruction) {
          case Instruction.From f ->
              f.image() + f.stageName().map(n -> " AS " + n).orElse("")
                  + f.platform().map(p -> " platform=" + p).orElse("");
          case Instruction.Run r ->
              command(r.command())
                  + mounts(r.mounts())
                  + r.network().map(n -> " network=" + n).orElse("")
                  + r.security().map(s -> " security=" + s).orElse("")
                  + heredocs(r.heredocs());
          case Instruction.Cmd c -> command(c.command());
          case Instruction.Entrypoint e -> command(e.command());
          case Instruction.Shell s -> s.shell().toString();
          case Instruction.Label l -> pairs(l.labels()) + (l.legacyForm() ? " legacy" : "");
          case Instruction.Maintainer m -> m.maintainer();
          case Instruction.Expose e -> e.ports().toString();
          case Instruction.Env e -> pairs(e.variables()) + (e.legacyForm() ? " legacy" : "");
          case Instruction.Copy c ->
              c.sources() + " -> " + c.destination()
                  + c.from().map(v -> " from=" + v).orElse("")
                  + c.chown().map(v -> " chown=" + v).orElse("")
                  + c.chmod().map(v -> " chmod=" + v).orElse("")
                  + (c.link() ? " link" : "") + (c.parents() ? " parents" : "")
                  + (c.excludes().isEmpty() ? "" : " exclude=" + c.excludes())
                  + heredocs(c.heredocSources());
          case Instruction.Add a ->
              a.sources() + " -> " + a.destination()
                  + a.chown().map(v -> " chown=" + v).orElse("")
                  + a.chmod().map(v -> " chmod=" + v).orElse("")
                  + a.checksum().map(v -> " checksum=" + v).orElse("")
                  + a.keepGitDir().map(v -> " keep-git-dir=" + v).orElse("")
                  + a.unpack().map(v -> " unpack=" + v).orElse("")
                  + (a.link() ? " link" : "")
                  + heredocs(a.heredocSources());
          case Instruction.Volume v -> v.paths().toString();
          case Instruction.User u -> u.user();
          case Instruction.Workdir w -> w.path();
          case Instruction.Arg a ->
              a.declarations().stream()
                  .map(d -> d.name() + d.defaultValue().map(v -> "=" + v).orElse(""))
                  .collect(Collectors.joining(" "));
          case Instruction.Onbuild o -> "[" + describe(o.trigger()) + "]";
          case Instruction.Stopsignal s -> s.signal();
          case Instruction.Healthcheck h ->
              h.test() + " interval=" + h.interval() + " timeout=" + h.timeout()
                  + " start-period=" + h.startPeriod() + " start-interval=" + h.startInterval()
                  + " retries=" + h.retries();
        };
    return instruction.keyword() + " " + body.replace("\n", "\\n");
  }

  private static String command(Command command) {
    return command.execForm() ? "exec" + command.arguments() : "shell[" + command.shellText() + "]";
  }

  private static String mounts(List<MountSpec> mounts) {
    return mounts.stream().map(m -> " mount(" + m.text() + ")").collect(Collectors.joining());
  }

  private static String heredocs(List<Heredoc> heredocs) {
    return heredocs.stream()
        .map(h -> " heredoc(" + h.name() + (h.expand() ? "" : ",quoted") + (h.chomp() ? ",chomp"
            : "") + (h.fileDescriptor() != 0 ? ",fd=" + h.fileDescriptor() : "") + ")="
            + h.content().replace("\n", "\\n"))
        .collect(Collectors.joining());
  }

  private static String pairs(List<KeyValue> pairs) {
    return pairs.stream().map(p -> p.key() + "=" + p.value()).collect(Collectors.joining(" "));
  }
}
