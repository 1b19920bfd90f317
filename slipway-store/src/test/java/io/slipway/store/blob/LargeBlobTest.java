package io.slipway.store.blob;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.testing.ChildJvm;
import io.slipway.testing.IntegrationTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
    Path root = directory.resolve("store");
    try (ChildJvm child =
        ChildJvm.start(
            directory.resolve("child.log"),
            List.of("-Xmx64m"),
            LargeBlobRoundTrip.class,
            root.toString(),
            Long.toString(TWO_GIB),
            Long.toString(HEAP))) {
      assertThat(child.awaitSuccess(Duration.ofMinutes(15))).contains("ok");
    }
  }
}
