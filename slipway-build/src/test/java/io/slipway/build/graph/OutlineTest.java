package io.slipway.build.graph;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.build.dockerfile.DockerfileParser;
import io.slipway.build.dockerfile.Location;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OutlineTest {

  private static final String DOCKERFILE =
      "ARG GO=1.22\nARG UNUSED=x\n# NODE the node version\nARG NODE=20\n"
          + "FROM golang:${GO} AS build\n# where the binary goes\nARG OUT=/bin/app\n"
          + "RUN --mount=type=secret,id=netrc,required --mount=type=ssh,id=github go build\n"
          + "# web bundles the frontend\nFROM node:${NODE} AS web\nARG API_URL\n"
          + "RUN --mount=type=secret,id=npm npm ci\n"
          + "# release is what ships\nFROM scratch AS release\nCOPY --from=build /bin/app /app\n";

  private static Outline outline(String target) {
    BuildOptions options = BuildOptions.defaults();
    return Outline.of(DockerfileParser.parse("Dockerfile", DOCKERFILE),
        target == null ? options : options.withTarget(target));
  }

  @Test
  void listsOnlyArgsAndSecretsOfNeededStages() {
    Outline outline = outline(null);
    assertThat(outline.target()).isEqualTo("release");
    assertThat(outline.description()).isEqualTo("is what ships");
    assertThat(outline.args())
        .containsExactly(
            new Outline.BuildArg("GO", Optional.of("1.22"), "", new Location(1, 1)),
            new Outline.BuildArg("OUT", Optional.of("/bin/app"), "where the binary goes",
                new Location(7, 1)));
    assertThat(outline.secrets())
        .containsExactly(new Outline.SecretUse("netrc", true, new Location(8, 5)));
    assertThat(outline.ssh()).extracting(Outline.SshUse::id).containsExactly("github");
  }

  @Test
  void followsTargetWhenGiven() {
    Outline outline = outline("web");
    assertThat(outline.args()).extracting(Outline.BuildArg::name).containsExactly("NODE", "API_URL");
    assertThat(outline.args().getFirst().description()).isEqualTo("the node version");
    assertThat(outline.secrets()).extracting(Outline.SecretUse::id).containsExactly("npm");
  }

  @Test
  void rendersAsBuildxDoes() {
    assertThat(outline("web").render())
        .isEqualTo(
            "TARGET:      web\nDESCRIPTION: bundles the frontend\n\n"
                + "BUILD ARG   VALUE    DESCRIPTION\nNODE        20       the node version\n"
                + "API_URL     <null>\n\nSECRET   REQUIRED\nnpm\n");
  }

  @Test
  void listsNamedStagesAndMarksDefaultTarget() {
    Targets targets = Targets.of(DockerfileParser.parse("Dockerfile", DOCKERFILE));
    assertThat(targets.targets())
        .extracting(Targets.Target::name, Targets.Target::description, Targets.Target::isDefault)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("build", "", false),
            org.assertj.core.groups.Tuple.tuple("web", "bundles the frontend", false),
            org.assertj.core.groups.Tuple.tuple("release", "is what ships", true));
    assertThat(List.of(targets.render().split("\n")))
        .containsExactly("TARGET              DESCRIPTION", "build",
            "web                 bundles the frontend", "release (default)   is what ships");
  }
}
