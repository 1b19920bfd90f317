package io.slipway.store.blob;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.testing.IntegrationTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves the store never holds a whole blob in memory: a 2 GiB blob goes in and comes back out,
 * verified, in a child JVM limited to 64 MiB of heap. The child is needed because surefire runs
 * every test in one JVM, whose heap is not ours to limit.
 */
@IntegrationTest
class LargeBlobTest {

  private static final long TWO_GIB = 2L << 30;
  private static final long HEAP = 64L << 20;

  @TempDir Path directory;

  @Test
  void doesWriteAndReadBackTwoGibibytesWhenHeapIs64Mebibytes() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path log = directory.resolve("child.log");
    Path root = directory.resolve("store");
    Process child =
        new ProcessBuilder(
                List.of(
                    java.toString(),
                    "-Xmx64m",
                    "-cp",
                    System.getProperty("java.class.path"),
                    LargeBlobRoundTrip.class.getName(),
                    root.toString(),
                    Long.toString(TWO_GIB),
                    Long.toString(HEAP)))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      boolean finished = child.waitFor(15, TimeUnit.MINUTES);
      assertThat(finished).as("child finished within 15 minutes; log:%n%s", read(log)).isTrue();
      assertThat(child.exitValue()).as("child exit code; log:%n%s", read(log)).isZero();
    } finally {
      child.destroyForcibly();
      child.waitFor();
    }
    assertThat(read(log)).contains("ok");
  }

  private static String read(Path log) throws IOException {
    return Files.exists(log) ? Files.readString(log) : "(no output)";
  }
}
