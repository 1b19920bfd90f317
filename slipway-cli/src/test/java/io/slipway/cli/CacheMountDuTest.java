package io.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.testing.IntegrationTest;
import io.slipway.testing.RequiresTool;
import io.slipway.testing.images.TestImages;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Issue 8: a RUN cache mount shows up in {@code slipway du} and {@code slipway prune} removes it. */
@IntegrationTest
@RequiresTool(value = {"busybox", "runc"}, debianPackage = "busybox-static runc")
class CacheMountDuTest {

  @TempDir Path dir;

  private static String[] run(String... args) {
    CommandLine commandLine = SlipwayCommand.newCommandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    commandLine.setOut(new PrintWriter(out));
    commandLine.setErr(new PrintWriter(err));
    int code = commandLine.execute(args);
    return new String[] {Integer.toString(code), out.toString(), err.toString()};
  }

  @Test
  void listsAndRemovesACacheMountOfARunStep() throws Exception {
    Path layout = TestImages.busybox(dir.resolve("layout")).layout();
    Path context = Files.createDirectories(dir.resolve("context"));
    Path state = dir.resolve("state");
    Files.writeString(context.resolve("Dockerfile"), "FROM busybox\n"
        + "RUN --mount=type=cache,id=downloads,target=/cache head -c 20000 /dev/zero"
        + " > /cache/blob && echo done > /done.txt\n");
    String[] build = run("build", "--root", state.toString(), "--build-context",
        "busybox=oci-layout://" + layout, context.toString());
    assertThat(build[0]).as(build[2]).isEqualTo("0");

    String[] du = run("du", "--root", state.toString(), "--filter", "type=cache-mount");
    assertThat(du[0]).as(du[2]).isEqualTo("0");
    assertThat(du[1]).containsPattern("cache-mount +19.[0-9] KiB .* 1  cache mount id=downloads")
        .contains("Records:      1 of ");

    String[] layersOnly = run("prune", "--root", state.toString());
    assertThat(layersOnly[1]).contains("0 cache directories");
    String[] prune = run("prune", "--root", state.toString(), "--filter", "type=cache-mount");
    assertThat(prune[0]).as(prune[2]).isEqualTo("0");
    assertThat(prune[1]).contains("Removed 1 record").contains("1 cache directories");
    assertThat(run("du", "--root", state.toString())[1]).doesNotContain("cache-mount");
    try (var left = Files.list(state.resolve("run/cache"))) {
      assertThat(left.toList()).isEmpty();
    }
  }
}
