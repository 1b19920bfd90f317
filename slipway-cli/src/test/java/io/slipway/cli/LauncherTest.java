package io.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.testing.IntegrationTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the repository's shell entry points, {@code bin/find-jdk} and {@code ./slipway}, as a user
 * would. The {@code package} phase has built the jar before these run, so the launcher starts it
 * without rebuilding.
 */
@IntegrationTest
class LauncherTest {

  private static final Path REPO = Path.of("").toAbsolutePath().getParent();

  record Result(int exitCode, String stdout, String stderr) {}

  private static Result run(Map<String, String> env, String... command)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(List.of(command)).directory(REPO.toFile());
    builder.environment().remove("JAVA_OPTS");
    builder.environment().putAll(env);
    Path out = Files.createTempFile("launcher", ".out");
    Path err = Files.createTempFile("launcher", ".err");
    try {
      Process process =
          builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      assertThat(process.waitFor(120, TimeUnit.SECONDS))
          .as("%s finished within 120 s", String.join(" ", command))
          .isTrue();
      return new Result(
          process.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /** A directory that looks like a JDK of the given version to find-jdk. */
  private static Path fakeJdk(Path root, String name, String version) throws IOException {
    Path home = Files.createDirectories(root.resolve(name));
    Path bin = Files.createDirectories(home.resolve("bin"));
    for (String tool : List.of("java", "javac")) {
      Path file = bin.resolve(tool);
      Files.writeString(file, "#!/bin/sh\necho 'openjdk version \"" + version + "\"' >&2\n");
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    Files.writeString(home.resolve("release"), "JAVA_VERSION=\"" + version + "\"\n");
    return home;
  }

  @Test
  void findJdkPicksTheNewestJdkThatIsNewEnough(@TempDir Path roots) throws Exception {
    fakeJdk(roots, "jdk-17", "17.0.12");
    Path newest = fakeJdk(roots, "jdk-25", "25.0.1");
    fakeJdk(roots, "jdk-21", "21.0.5");

    Result result = run(Map.of("SLIPWAY_JDK_ROOTS", roots.toString(), "JAVA_HOME", ""), "bin/find-jdk");

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.stdout().strip()).isEqualTo(newest.toString());
  }

  @Test
  void findJdkPrefersJavaHomeWhenItIsNewEnough(@TempDir Path roots) throws Exception {
    Path chosen = fakeJdk(roots, "jdk-21", "21.0.5");
    fakeJdk(roots, "jdk-25", "25.0.1");

    Result result =
        run(Map.of("SLIPWAY_JDK_ROOTS", roots.toString(), "JAVA_HOME", chosen.toString()),
            "bin/find-jdk");

    assertThat(result.stdout().strip()).isEqualTo(chosen.toString());
  }

  @Test
  void findJdkSkipsJavaHomeWhenItIsTooOld(@TempDir Path roots) throws Exception {
    Path old = fakeJdk(roots, "jdk-17", "17.0.12");
    Path modern = fakeJdk(roots, "jdk-22", "22");

    Result result =
        run(Map.of("SLIPWAY_JDK_ROOTS", roots.toString(), "JAVA_HOME", old.toString()),
            "bin/find-jdk");

    assertThat(result.stdout().strip()).isEqualTo(modern.toString());
  }

  @Test
  void findJdkExplainsWhenNoJdkIsNewEnough(@TempDir Path roots) throws Exception {
    Path old = fakeJdk(roots, "jdk-17", "17.0.12");

    Result result =
        run(Map.of("SLIPWAY_JDK_ROOTS", roots.toString(), "JAVA_HOME", ""), "bin/find-jdk");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.stdout()).isEmpty();
    assertThat(result.stderr())
        .contains("no JDK 21 or newer found")
        .contains(old + " (17)")
        .contains("set JAVA_HOME");
  }

  @Test
  void launcherPrintsTheVersion() throws Exception {
    Result result = run(Map.of(), "./slipway", "--version");

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.stdout()).startsWith("slipway ").contains("java ");
    assertThat(result.stderr()).doesNotContain("building");
  }

  @Test
  void launcherExitsWithTheProgramsExitCode() throws Exception {
    Result result = run(Map.of(), "./slipway", "no-such-command");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.stderr()).contains("no-such-command");
  }

  @Test
  void launcherPassesJavaOptsToTheJvm() throws Exception {
    Result accepted = run(Map.of("JAVA_OPTS", "-Xmx64m -Xss1m"), "./slipway", "--version");
    Result rejected = run(Map.of("JAVA_OPTS", "-Xmx64m -XX:+NoSuchJvmOption"), "./slipway", "--version");

    assertThat(accepted.exitCode()).as(accepted.stderr()).isZero();
    assertThat(rejected.exitCode()).isNotZero();
    assertThat(rejected.stderr()).contains("NoSuchJvmOption");
  }
}
