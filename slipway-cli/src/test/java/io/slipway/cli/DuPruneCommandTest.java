package io.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.testing.RequiresTool;
import io.slipway.testing.images.TestImages;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code slipway du} and {@code slipway prune} on a root made by {@code slipway build}. */
@RequiresTool(value = "busybox", debianPackage = "busybox-static")
class DuPruneCommandTest {

  private record Result(int exitCode, String out, String err) {}

  @TempDir Path dir;

  private Path state;
  private Path layout;
  private Path context;

  private static Result run(String... args) {
    CommandLine commandLine = SlipwayCommand.newCommandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    commandLine.setOut(new PrintWriter(out));
    commandLine.setErr(new PrintWriter(err));
    int code = commandLine.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  private Result build(String dockerfile) throws IOException {
    Files.writeString(context.resolve("Dockerfile"), dockerfile);
    Result result = run("build", "--root", state.toString(), "--progress=plain",
        "--build-context", "busybox=oci-layout://" + layout, context.toString());
    assertThat(result.exitCode()).as(result.err()).isZero();
    return result;
  }

  private Result du(String... extra) {
    return run(concat(new String[] {"du", "--root", state.toString()}, extra));
  }

  private Result prune(String... extra) {
    return run(concat(new String[] {"prune", "--root", state.toString()}, extra));
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = new String[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  @BeforeEach
  void buildTwice() throws IOException {
    state = dir.resolve("state");
    layout = TestImages.busybox(dir.resolve("layout")).layout();
    context = Files.createDirectories(dir.resolve("context"));
    Files.writeString(context.resolve("a.txt"), "a".repeat(5000));
    build("FROM busybox\nCOPY a.txt /a/\n");
    build("FROM busybox\nCOPY a.txt /a/\n");
  }

  @Test
  void listsRecordsWithTypeUsesAndTotalsIncludingMetadata() {
    Result result = du();
    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out())
        .contains("ID ", "TYPE", "SIZE", "SHARED", "LAST USED", "USES", "DESCRIPTION")
        .containsPattern("layer +[0-9.]+ [KMG]?i?B .* just now +1  \\[0 2/2\\] COPY a.txt /a/")
        .containsPattern("source .* 1  \\[0 1/2\\] FROM busybox")
        // The base resolved by both builds, and each build's image (their created times differ).
        .containsPattern("image .* 1  base busybox")
        .containsPattern("image .* 0  built image(.|\n)*image .* 0  built image")
        .contains("Records:      5")
        .containsPattern("Metadata: +[0-9.]+ [KM]iB \\(meta.db")
        .containsPattern("Total: +[0-9.]+ [KM]iB");
  }

  @Test
  void filtersAndShowsEveryFieldWhenVerbose() {
    Result result = du("--filter", "type=source", "--verbose");
    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out())
        .contains("Type:        source")
        .contains("Uses:        1")
        .contains("In use:      false")
        .containsPattern("ID: +[0-9a-f]{64}\n")
        .doesNotContain("Type:        layer")
        .contains("Records:      1 of 5 (filtered)");
  }

  @Test
  void rejectsABadFilterAsAUsageError() {
    Result result = du("--filter", "colour=red");
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("unknown key \"colour\"");
  }

  @Test
  void failsClearlyOnARootWithoutBuilderState() {
    Result result = run("du", "--root", dir.resolve("nothing").toString());
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).contains("no builder state in " + dir.resolve("nothing"));
    assertThat(dir.resolve("nothing")).doesNotExist();
  }

  @Test
  void removesLayerRecordsOnlyByDefault() {
    Result result = prune("--verbose");
    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out())
        .containsPattern("removed [0-9a-f]{12} +layer .*COPY a.txt /a/")
        .contains("Removed 1 record, freeing ")
        .containsPattern("Deleted 1 blobs, [0-9]+ snapshot trees, 0 cache directories");
    Result after = du();
    assertThat(after.out()).contains("FROM busybox").doesNotContain("COPY a.txt")
        .contains("base busybox").contains("built image").contains("Records:      4");
  }

  @Test
  void dryRunListsWithoutRemoving() {
    Result result = prune("--all", "--dry-run");
    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).contains("would remove").contains("Would remove 5 records")
        .doesNotContain("Deleted");
    assertThat(du().out()).contains("Records:      5");
  }

  @Test
  void capAboveUsageRemovesNothing() {
    Result result = prune("--all", "--max-used-space", "1TB");
    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).contains("Removed 0 records");
    assertThat(du().out()).contains("Records:      5");
  }

  @Test
  void rejectsBadPolicyFlagsAsUsageErrors() {
    assertThat(prune("--max-used-space", "lots").err())
        .contains("--max-used-space: invalid size \"lots\"");
    assertThat(prune("--max-used-space", "lots").exitCode()).isEqualTo(2);
    assertThat(prune("--keep-duration", "2 days").exitCode()).isEqualTo(2);
    Result both = prune("--gc", "--all");
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.err()).contains("either --gc or policy flags");
    assertThat(du().out()).contains("Records:      5");
  }

  @Test
  void appliesTheConfiguredPoliciesWithGc() throws IOException {
    Path config = dir.resolve("gc.yaml");
    Files.writeString(config, """
        gc:
          policies:
            - all: true
              filters: ["type=source"]
        """);
    Result result = prune("--gc", "--config", config.toString());
    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).contains("Removed 1 record");
    assertThat(du().out()).doesNotContain("FROM busybox").contains("COPY a.txt");
  }

  @Test
  void namesTheFileAndKeyOfABadConfiguration() throws IOException {
    Path config = dir.resolve("gc.yaml");
    Files.writeString(config, "gc:\n  policies:\n    - keep: 1h\n");
    Result result = prune("--gc", "--config", config.toString());
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).contains(config + ": unknown key gc.policies[0].keep");
  }

  @Test
  void runsConfiguredGcAfterABuildAtMostOncePerInterval() throws IOException {
    // A fresh root: the builds in buildTwice already ran the default GC on the other one, and
    // the interval would (rightly) skip the next run there.
    state = rootCollectingEverything("fresh-state");
    Files.writeString(context.resolve("b.txt"), "b");
    // The build's own records are removed after it finishes: the policy keeps nothing.
    Result first = build("FROM busybox\nCOPY b.txt /b/\n");
    // Its layer and source records, and its base and built image records.
    assertThat(first.err()).containsPattern("gc: removed 4 records, freeing ");
    assertThat(du().out()).contains("Records:      0");
    Result second = build("FROM busybox\nCOPY b.txt /b/\n");
    assertThat(second.err()).doesNotContain("gc:");
    assertThat(du().out()).contains("Records:      4");
  }

  @Test
  void runsConfiguredGcAfterAFailedBuildKeepingItsErrorAndExitStatus() throws IOException {
    Files.writeString(context.resolve("b.txt"), "b");
    Files.writeString(context.resolve("Dockerfile"),
        "FROM busybox\nCOPY b.txt /b/\nCOPY missing.txt /m/\n");
    // The same failing build on a root without automatic GC: what the user must still see.
    Path quiet = Files.createDirectories(dir.resolve("no-gc-state"));
    Files.writeString(quiet.resolve("builder.yaml"), "gc:\n  enabled: false\n");
    Result withoutGc = failingBuild(quiet);
    state = rootCollectingEverything("gc-state");

    Result failed = failingBuild(state);

    assertThat(failed.exitCode()).as(failed.err()).isEqualTo(withoutGc.exitCode()).isNotZero();
    assertThat(withoutGc.err()).doesNotContain("gc:");
    // What the finished steps left (the COPY layer, the busybox source and base image records)
    // is collected; the build's error is still the last line, word for word.
    assertThat(failed.err()).containsPattern("gc: removed 3 records, freeing ");
    assertThat(lastLine(failed.err())).isEqualTo(lastLine(withoutGc.err())).startsWith("error: ")
        .contains("missing.txt");
    assertThat(du().out()).contains("Records:      0");
  }

  /** A new root whose automatic GC removes every record, at most once an hour. */
  private Path rootCollectingEverything(String name) throws IOException {
    Path root = Files.createDirectories(dir.resolve(name));
    Files.writeString(root.resolve("builder.yaml"), """
        gc:
          interval: 1h
          policies:
            - all: true
        """);
    return root;
  }

  private Result failingBuild(Path root) {
    return run("build", "--root", root.toString(), "--progress=plain",
        "--build-context", "busybox=oci-layout://" + layout, context.toString());
  }

  private static String lastLine(String text) {
    List<String> lines = text.lines().filter(line -> !line.isBlank()).toList();
    return lines.isEmpty() ? "" : lines.getLast();
  }
}
