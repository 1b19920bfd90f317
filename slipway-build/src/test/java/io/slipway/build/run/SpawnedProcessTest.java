package io.slipway.build.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpawnedProcessTest {

  @BeforeEach
  void needsPosixSpawn() {
    assumeTrue(SpawnedProcess.available(), "needs glibc 2.34+ (posix_spawn closefrom)");
  }

  private static String read(InputStream in) throws IOException {
    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }

  @Test
  void givesTheOutputStreamsAndTheExitCode() throws Exception {
    Process process =
        SpawnedProcess.start(List.of("/bin/sh", "-c", "echo out; echo err >&2; exit 3"));

    assertThat(read(process.getInputStream())).isEqualTo("out\n");
    assertThat(read(process.getErrorStream())).isEqualTo("err\n");
    assertThat(process.waitFor()).isEqualTo(3);
    assertThat(process.exitValue()).isEqualTo(3);
    assertThat(process.isAlive()).isFalse();
  }

  @Test
  void readsStandardInputFromDevNull() throws Exception {
    Process process = SpawnedProcess.start(List.of("/bin/sh", "-c", "cat; echo done"));

    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(read(process.getInputStream())).isEqualTo("done\n");
  }

  @Test
  void passesNoDescriptorButTheStandardThree(@TempDir Path dir) throws Exception {
    // Opened without close-on-exec by nobody in particular: the child must not hold it.
    try (FileChannel open = FileChannel.open(dir.resolve("held"), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE)) {
      // The glob is expanded before readlink starts, so the shell's own directory handle for
      // it is closed again: what readlink resolves is what the shell inherited.
      Process process = SpawnedProcess.start(List.of("/bin/sh", "-c", "readlink /proc/$$/fd/*"));

      List<String> targets = read(process.getInputStream()).lines().toList();
      assertThat(targets).hasSize(3);
      assertThat(targets.getFirst()).isEqualTo("/dev/null");
      assertThat(targets.subList(1, 3)).allMatch(t -> t.startsWith("pipe:"));
      // readlink fails on the glob's directory handle, which is gone by then; that is all.
      process.waitFor();
      assertThat(open.isOpen()).isTrue();
    }
  }

  @Test
  void killsTheProcessWhenDestroyedForcibly() throws Exception {
    Process process = SpawnedProcess.start(List.of("/bin/sleep", "60"));
    assertThat(process.waitFor(50, TimeUnit.MILLISECONDS)).isFalse();
    assertThat(process.isAlive()).isTrue();
    assertThatThrownBy(process::exitValue).isInstanceOf(IllegalThreadStateException.class);

    process.destroyForcibly();

    assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(128 + 9);
    assertThat(read(process.getInputStream())).isEmpty();
  }

  @Test
  void namesTheProgramItCannotRun() {
    assertThatThrownBy(() -> SpawnedProcess.start(List.of("/nonexistent/runc", "run")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("/nonexistent/runc")
        .hasMessageContaining("errno 2");
  }
}
