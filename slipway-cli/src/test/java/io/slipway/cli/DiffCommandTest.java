package io.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DiffCommandTest {
  @TempDir Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    DiffCommand command =
        new DiffCommand(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    CommandLine commandLine = new CommandLine(command);
    commandLine.setCaseInsensitiveEnumValuesAllowed(true);
    return commandLine.execute(args);
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void exitsZeroAndPrintsNothingWhenFilesAreEqual() throws IOException {
    Path a = Files.writeString(dir.resolve("a.txt"), "same\n");
    Path b = Files.writeString(dir.resolve("b.txt"), "same\n");

    assertThat(run(a.toString(), b.toString())).isZero();
    assertThat(stdout()).isEmpty();
  }

  @Test
  void exitsOneWithUnifiedDiffWhenFilesDiffer() throws IOException {
    Path a = Files.writeString(dir.resolve("a.txt"), "1\n2\n3\n");
    Path b = Files.writeString(dir.resolve("b.txt"), "1\ntwo\n3\n");

    assertThat(run("-U", "1", a.toString(), b.toString())).isEqualTo(1);
    assertThat(stdout())
        .startsWith("--- " + a + "\t")
        .contains("\n+++ " + b + "\t")
        .endsWith("@@ -1,3 +1,3 @@\n 1\n-2\n+two\n 3\n");
  }

  @Test
  void printsJsonPatchWhenStructuredAndFormatIsJson() throws IOException {
    Path a = Files.writeString(dir.resolve("a.json"), "{\"replicas\": 1}");
    Path b = Files.writeString(dir.resolve("b.yaml"), "replicas: 2\n");

    assertThat(run("--structured", "--format=json", a.toString(), b.toString())).isEqualTo(1);
    assertThat(stdout()).isEqualTo("[\n  {\"op\":\"replace\",\"path\":\"/replicas\",\"value\":2}\n]\n");
  }

  @Test
  void printsChangedPathsWhenStructuredAndFormatIsText() throws IOException {
    Path a = Files.writeString(dir.resolve("a.json"), "{\"replicas\": 1}");
    Path b = Files.writeString(dir.resolve("b.json"), "{\"replicas\": 3}");

    assertThat(run("--structured", a.toString(), b.toString())).isEqualTo(1);
    assertThat(stdout()).isEqualTo("~ /replicas: 1 → 3\n");
  }

  @Test
  void listsTreeChangesWhenGivenTwoDirectories() throws IOException {
    Path a = Files.createDirectory(dir.resolve("a"));
    Path b = Files.createDirectory(dir.resolve("b"));
    Files.writeString(a.resolve("run.sh"), "x");
    Files.writeString(b.resolve("run.sh"), "x");
    Files.setPosixFilePermissions(b.resolve("run.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(a.resolve("run.sh"), PosixFilePermissions.fromString("rw-r--r--"));
    Files.createDirectory(b.resolve("etc"));

    assertThat(run(a.toString(), b.toString())).isEqualTo(1);
    assertThat(stdout()).isEqualTo("A  etc/\nM  run.sh  mode 0644 → 0755\n");
  }

  @Test
  void writesJsonArrayWhenDirectoriesAndFormatIsJson() throws IOException {
    Path a = Files.createDirectory(dir.resolve("a"));
    Path b = Files.createDirectory(dir.resolve("b"));
    Files.writeString(b.resolve("new"), "abc");

    assertThat(run("--format", "json", a.toString(), b.toString())).isEqualTo(1);
    assertThat(stdout()).startsWith("[\n  {\"change\":\"added\",\"path\":\"new\",\"after\":{\"type\":\"file\",").endsWith("}\n]\n");
  }

  @Test
  void exitsTwoAndSaysImagesAreNotSupportedWhenGivenImageReference() throws IOException {
    Path a = Files.writeString(dir.resolve("a.txt"), "x\n");

    assertThat(run(a.toString(), "docker.io/library/busybox:1.36")).isEqualTo(2);
    assertThat(stderr()).contains("looks like an image reference").contains("not supported yet");
    assertThat(stdout()).isEmpty();
  }

  @Test
  void exitsTwoNamingFileWhenInputIsMissing() {
    assertThat(run(dir.resolve("nope.txt").toString(), dir.resolve("other.txt").toString())).isEqualTo(2);
    assertThat(stderr()).contains("nope.txt: no such file or directory");
  }

  @Test
  void exitsTwoNamingLineWhenStructuredInputIsInvalid() throws IOException {
    Path a = Files.writeString(dir.resolve("a.json"), "{}");
    Path b = Files.writeString(dir.resolve("b.json"), "{\n\"x\": }");

    assertThat(run("--structured", a.toString(), b.toString())).isEqualTo(2);
    assertThat(stderr()).contains("b.json:2:");
  }

  @Test
  void saysBinaryFilesDifferWhenInputHasNulBytes() throws IOException {
    Path a = Files.write(dir.resolve("a.bin"), new byte[] {1, 0, 2});
    Path b = Files.write(dir.resolve("b.bin"), new byte[] {1, 0, 3});

    assertThat(run(a.toString(), b.toString())).isEqualTo(1);
    assertThat(stdout()).isEqualTo("Binary files " + a + " and " + b + " differ\n");
  }

  @Test
  void acceptsDashUWhenUsedAsWithGnuDiff() throws IOException {
    Path a = Files.writeString(dir.resolve("a.txt"), "1\n");
    Path b = Files.writeString(dir.resolve("b.txt"), "2\n");

    assertThat(run("-u", a.toString(), b.toString())).isEqualTo(1);
    assertThat(stdout()).endsWith("@@ -1 +1 @@\n-1\n+2\n");
  }

  @Test
  void exitsTwoWhenOptionIsUnknown() {
    assertThat(run("--bogus", "a", "b")).isEqualTo(2);
  }

  @Test
  void showsUnifiedDiffOfModifiedTextFilesWhenContentIsAsked() throws IOException {
    Path a = Files.createDirectory(dir.resolve("a"));
    Path b = Files.createDirectory(dir.resolve("b"));
    Files.writeString(a.resolve("conf"), "x=1\n");
    Files.writeString(b.resolve("conf"), "x=2\n");

    assertThat(run("--content", a.toString(), b.toString())).isEqualTo(1);
    assertThat(stdout()).isEqualTo("M  conf  content\n--- a/conf\n+++ b/conf\n@@ -1 +1 @@\n-x=1\n+x=2\n");
  }
}
