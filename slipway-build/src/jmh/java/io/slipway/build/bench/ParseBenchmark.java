package io.slipway.build.bench;

import io.slipway.build.dockerfile.Dockerfile;
import io.slipway.build.dockerfile.DockerfileParser;
import io.slipway.build.graph.BuildGraph;
import io.slipway.build.graph.BuildOptions;
import io.slipway.build.graph.GraphBuilder;
import io.slipway.build.graph.ImageResolver;
import io.slipway.build.graph.Platform;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Parses (and converts to a build graph) a generated Dockerfile of 2,000 instructions mixing every
 * instruction, continuations, heredocs and mounts. The target is "well under 100 ms" per
 * parse. Run with {@code java -jar slipway-build/target/slipway-build-benchmarks.jar}. Each
 * benchmark thread has its own state.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ParseBenchmark {

  private static final int INSTRUCTIONS = 2_000;

  private String text;
  private Dockerfile parsed;
  private BuildOptions options;

  @Setup
  public void generate() {
    text = dockerfile(INSTRUCTIONS);
    parsed = DockerfileParser.parse("Dockerfile", text);
    if (parsed.instructions().size() != INSTRUCTIONS) {
      throw new IllegalStateException(
          "generated " + parsed.instructions().size() + " instructions, not " + INSTRUCTIONS);
    }
    Platform amd64 = Platform.parse("linux/amd64");
    options = new BuildOptions(Optional.empty(), Map.of(), amd64, amd64, List.of());
  }

  /** A Dockerfile of exactly {@code count} instructions, in stages of 50. */
  static String dockerfile(int count) {
    StringBuilder out = new StringBuilder("# syntax=docker/dockerfile:1\nARG BASE=alpine:3.20\n");
    int written = 1;
    int stage = 0;
    while (written < count) {
      out.append("# stage ").append(stage).append(" builds part ").append(stage).append('\n');
      out.append("FROM ${BASE} AS s").append(stage).append('\n');
      written++;
      for (int i = 0; i < 49 && written < count; i++, written++) {
        switch (i % 12) {
          case 0 -> out.append("ARG VERSION_").append(i).append("=1.").append(i).append('\n');
          case 1 -> out.append("ENV PATH_").append(i).append("=/opt/${VERSION_0}/bin \\\n")
              .append("    HOME_").append(i).append("=\"/home/user ").append(i).append("\"\n");
          case 2 -> out.append("RUN --mount=type=cache,target=/root/.cache,sharing=locked \\\n")
              .append("    # comment inside a continuation\n")
              .append("    apk add --no-cache curl git && \\\n")
              .append("    echo \"done ${VERSION_0}\"\n");
          case 3 -> out.append("COPY --chown=1000:1000 --chmod=0644 src/").append(i)
              .append(" /app/src/\n");
          case 4 -> out.append("RUN <<EOF\nset -e\necho step ").append(i).append("\nEOF\n");
          case 5 -> out.append("LABEL org.example.step").append(i).append("=\"value ").append(i)
              .append("\"\n");
          case 6 -> out.append("WORKDIR /app/").append(i).append('\n');
          case 7 -> out.append("RUN [\"/bin/sh\", \"-c\", \"echo exec ").append(i)
              .append("\"]\n");
          case 8 -> out.append("COPY <<-CONF /etc/app/").append(i).append(".conf\n")
              .append("\tkey = ${VERSION_0}\n\tCONF\n");
          case 9 -> out.append("EXPOSE ").append(8000 + i).append("/tcp\n");
          case 10 -> out.append("HEALTHCHECK --interval=30s --timeout=3s CMD wget -q localhost\n");
          default -> out.append("USER ").append(1000 + i).append('\n');
        }
      }
      stage++;
    }
    return out.toString();
  }

  @Benchmark
  public Dockerfile parse() {
    return DockerfileParser.parse("Dockerfile", text);
  }

  @Benchmark
  public BuildGraph parseAndBuildGraph() {
    return GraphBuilder.build(
        DockerfileParser.parse("Dockerfile", text), options, ImageResolver.offline());
  }
}
