package io.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BuildCommandTest {

  private record Result(int exitCode, String out, String err) {}

  private static Result run(String... args) {
    CommandLine commandLine = SlipwayCommand.newCommandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    commandLine.setOut(new PrintWriter(out));
    commandLine.setErr(new PrintWriter(err));
    int code = commandLine.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  private static Path context(Path dir, String dockerfile) throws IOException {
    Files.writeString(dir.resolve("Dockerfile"), dockerfile);
    return dir;
  }

  @Test
  void printsOutlineWithArgsAndSecretsWhenCallIsOutline(@TempDir Path dir) throws IOException {
    context(dir, "ARG GO=1.22\nFROM golang:${GO}\n# where to install\nARG PREFIX=/usr\n"
        + "RUN --mount=type=secret,id=netrc,required go build\n");
    Result result = run("build", "--call=outline", dir.toString());
    assertThat(result.exitCode()).isZero();
    assertThat(result.out())
        .isEqualTo(
            "TARGET:      0\n\nBUILD ARG   VALUE   DESCRIPTION\nGO          1.22\n"
                + "PREFIX      /usr    where to install\n\nSECRET   REQUIRED\nnetrc    true\n");
  }

  @Test
  void printsOutlineAsJsonWhenFormatJson(@TempDir Path dir) throws IOException {
    context(dir, "FROM alpine\nARG V=1\nRUN --mount=type=secret,id=s true\n");
    Result result = run("build", "--call=outline,format=json", dir.toString());
    assertThat(result.exitCode()).isZero();
    assertThat(result.out().replaceAll("\\s+", ""))
        .isEqualTo("{\"target\":\"0\",\"description\":\"\",\"args\":[{\"name\":\"V\","
            + "\"value\":\"1\",\"description\":\"\",\"location\":{\"line\":2,\"column\":1}}],"
            + "\"secrets\":[{\"id\":\"s\",\"required\":false,\"location\":{\"line\":3,"
            + "\"column\":5}}],\"ssh\":[]}");
  }

  @Test
  void printsCheckAsJsonWhenFormatJson(@TempDir Path dir) throws IOException {
    context(dir, "# check=error=true\nFROM alpine\nMAINTAINER me\n");
    Result result = run("build", "--call=check,format=json", dir.toString());
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out())
        .contains("\"rule\" : \"MaintainerDeprecated\"")
        .contains("\"error\" : true");
  }

  @Test
  void printsTargetsWithDescriptions(@TempDir Path dir) throws IOException {
    context(dir, "# build compiles the app\nFROM golang AS build\nFROM alpine AS release\n");
    Result result = run("build", "--call=targets", dir.toString());
    assertThat(result.exitCode()).isZero();
    assertThat(result.out())
        .isEqualTo("TARGET              DESCRIPTION\nbuild               compiles the app\n"
            + "release (default)\n");
  }

  @Test
  void printsLintWarningsAndExitsZeroWhenNotError(@TempDir Path dir) throws IOException {
    context(dir, "FROM alpine\nCMD serve\n");
    Result result = run("build", "--check", dir.toString());
    assertThat(result.exitCode()).isZero();
    assertThat(result.out())
        .isEqualTo(
            "WARNING: JSONArgsRecommended -"
                + " https://docs.docker.com/go/dockerfile/rule/json-args-recommended/\n"
                + "Dockerfile:2:1: JSONArgsRecommended: JSON arguments recommended for CMD to"
                + " prevent unintended behavior related to OS signals\n"
                + "Check complete, 1 warning has been found!\n");
  }

  @Test
  void exitsOneWhenCheckDirectiveMakesWarningsErrors(@TempDir Path dir) throws IOException {
    context(dir, "# check=error=true\nFROM alpine\nCMD serve\n");
    assertThat(run("build", "--call=check", dir.toString()).exitCode()).isEqualTo(1);
  }

  @Test
  void refusesRealBuildWithExitTwo(@TempDir Path dir) throws IOException {
    context(dir, "FROM alpine\nRUN true\n");
    Result result = run("build", "-t", "app:1", dir.toString());
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).startsWith("slipway build: building images is not available yet");
    assertThat(result.out()).isEmpty();
  }

  @Test
  void reportsDockerfileErrorWithLocation(@TempDir Path dir) throws IOException {
    context(dir, "FROM alpine\nRUNN true\n");
    Result result = run("build", "--call=outline", dir.toString());
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err())
        .isEqualTo("error: Dockerfile:2:1: unknown instruction: RUNN (did you mean RUN?) in"
            + " \"RUNN true\"\n");
  }

  @Test
  void usesNamedDockerfileAndTarget(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("build.Dockerfile"),
        "FROM alpine AS a\nARG ONLY_A\nFROM alpine AS b\nARG ONLY_B\n");
    Result result = run("build", "-f", dir.resolve("build.Dockerfile").toString(), "--target=a",
        "--call=outline", dir.toString());
    assertThat(result.out()).isEqualTo(
        "TARGET:      a\n\nBUILD ARG   VALUE    DESCRIPTION\nONLY_A      <null>\n");
  }

  @Test
  void rejectsUnknownCallAndBadSecret(@TempDir Path dir) throws IOException {
    context(dir, "FROM alpine\n");
    Result unknown = run("build", "--call=lint", dir.toString());
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err())
        .startsWith("unknown --call \"lint\": use build, check, outline or targets");
    Result secret = run("build", "--secret", "src=x", "--call=outline", dir.toString());
    assertThat(secret.exitCode()).isEqualTo(2);
    assertThat(secret.err()).startsWith("invalid --secret \"src=x\": id=ID is required");
  }

  @Test
  void readsDockerfileFromStandardInputWhenContextIsDash() {
    java.io.InputStream original = System.in;
    try {
      System.setIn(new java.io.ByteArrayInputStream(
          "FROM alpine AS only\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      Result result = run("build", "--call=targets", "-");
      assertThat(result.exitCode()).isZero();
      assertThat(result.out()).isEqualTo("TARGET           DESCRIPTION\nonly (default)\n");
    } finally {
      System.setIn(original);
    }
  }

  @Test
  void reportsMissingDockerfile(@TempDir Path dir) {
    Result result = run("build", "--call=targets", dir.toString());
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).startsWith("error: no such file: ");
  }
}
