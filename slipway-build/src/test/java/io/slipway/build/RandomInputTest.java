package io.slipway.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.build.dockerfile.Dockerfile;
import io.slipway.build.dockerfile.DockerfileException;
import io.slipway.build.dockerfile.DockerfileParser;
import io.slipway.build.graph.BuildOptions;
import io.slipway.build.graph.GraphBuilder;
import io.slipway.build.graph.ImageResolver;
import io.slipway.build.graph.Outline;
import io.slipway.build.graph.Platform;
import io.slipway.build.graph.Targets;
import io.slipway.build.lint.Linter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Feeds the frontend thousands of random Dockerfile-like texts (fixed seed, so failures
 * reproduce) and checks that the only failure is a {@link DockerfileException}: no crash, no
 * {@code IndexOutOfBoundsException} from an odd corner of the grammar.
 */
class RandomInputTest {

  private static final String[] TOKENS = {
    "FROM ", "RUN ", "COPY ", "ADD ", "ENV ", "ARG ", "LABEL ", "WORKDIR ", "USER ", "CMD ",
    "ENTRYPOINT ", "ONBUILD ", "HEALTHCHECK ", "SHELL ", "EXPOSE ", "VOLUME ", "STOPSIGNAL ",
    "MAINTAINER ", "alpine", "AS ", "b", "--from=", "--mount=", "type=cache,target=/c", "--link ",
    "--chmod=", "755", "--platform=", "linux/arm64", "$", "${", "}", ":-", ":?", "#", "%", "/",
    "\"", "'", "\\", "`", "\n", "\n", "\n", " ", " ", "=", "[", "]", ",", "<<", "EOF", "<<-",
    "\t", "0", "1", "CMD ", "NONE", "--interval=", "1s", "# escape=`\n", "# check=error=true\n",
    "x", "*", "?", "!", "--", "--network=none ", "type=secret,id=s", "type=ssh", "scratch"
  };

  @Test
  void failsOnlyWithDockerfileExceptionWhenInputIsRandom() {
    Random random = new Random(20261124);
    Platform amd64 = Platform.parse("linux/amd64");
    BuildOptions options = new BuildOptions(Optional.empty(), Map.of(), amd64, amd64, List.of());
    List<String> crashes = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      StringBuilder text = new StringBuilder(i % 3 == 0 ? "FROM alpine AS b\n" : "");
      int length = 1 + random.nextInt(40);
      for (int t = 0; t < length; t++) {
        text.append(TOKENS[random.nextInt(TOKENS.length)]);
      }
      String input = text.toString();
      try {
        Dockerfile dockerfile = DockerfileParser.parse("Dockerfile", input);
        runQuietly(() -> Linter.check(dockerfile, options, ImageResolver.offline()));
        runQuietly(() -> Targets.of(dockerfile));
        runQuietly(() -> Outline.of(dockerfile, options));
        runQuietly(() -> GraphBuilder.build(dockerfile, options, ImageResolver.offline()));
      } catch (DockerfileException expected) {
        assertThat(expected.line()).isPositive();
      } catch (RuntimeException e) {
        crashes.add(e + " for " + input.replace("\n", "\\n"));
      }
    }
    assertThat(crashes).isEmpty();
  }

  private static void runQuietly(Runnable step) {
    try {
      step.run();
    } catch (DockerfileException expected) {
      assertThat(expected.line()).isPositive();
    }
  }
}
