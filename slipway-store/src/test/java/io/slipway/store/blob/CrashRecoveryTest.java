package io.slipway.store.blob;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.oci.Digest;
import io.slipway.testing.IntegrationTest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a process with {@code SIGKILL} while it writes into the store, then opens the store the
 * way a restarted process would: no partial blob is visible, temporary ingests are gone, and both
 * resumable ingests (the one closed before the kill and the one still open) resume and commit.
 * Before the kill, opening the store from a second process leaves the live writer's files alone.
 */
@IntegrationTest
class CrashRecoveryTest {

  @TempDir Path directory;

  @Test
  void doesRecoverCleanlyWhenTheWritingProcessIsKilled() throws Exception {
    Path root = directory.resolve("store");
    Process child =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    InterruptedWrites.class.getName(),
                    root.toString()))
            .redirectErrorStream(true)
            .start();
    String closedId;
    String openId;
    try {
      BlockingQueue<String> lines = readLines(child.getInputStream());
      closedId = expectLine(lines, "closed ");
      openId = expectLine(lines, "open ");
      expectLine(lines, "writing");
      // While the writer lives, opening the store from another process must not touch its
      // temporary ingest.
      try (FileBlobStore concurrent = FileBlobStore.open(root)) {
        assertThat(concurrent.ingest(closedId)).isPresent();
        try (Stream<Path> temporary = Files.list(root.resolve("ingest/tmp"))) {
          assertThat(temporary).as("temporary ingest of the live writer").hasSize(1);
        }
      }
      Thread.sleep(100);
    } finally {
      child.destroyForcibly();
      child.waitFor(30, TimeUnit.SECONDS);
    }
    assertThat(child.isAlive()).isFalse();

    try (FileBlobStore store = FileBlobStore.open(root)) {
      try (Stream<Digest> blobs = store.list()) {
        assertThat(blobs).isEmpty();
      }
      try (Stream<Path> temporary = Files.list(root.resolve("ingest/tmp"))) {
        assertThat(temporary).isEmpty();
      }
      assertResumes(store, closedId, InterruptedWrites.CLOSED_SIZE, InterruptedWrites.CLOSED_SEED);
      assertResumes(store, openId, InterruptedWrites.OPEN_SIZE, InterruptedWrites.OPEN_SEED);
      try (Stream<Path> uploads = Files.list(root.resolve("ingest/uploads"))) {
        assertThat(uploads).isEmpty();
      }
    }
  }

  private static void assertResumes(FileBlobStore store, String id, int size, long seed)
      throws IOException {
    byte[] content = InterruptedWrites.content(size, seed);
    try (BlobWriter writer = store.resumeWriter(id)) {
      assertThat(writer.size()).as("bytes kept by ingest %s", id).isEqualTo(size);
      writer.commit(Digest.sha256(content), size);
    }
    try (InputStream in = store.openVerified(Digest.sha256(content))) {
      assertThat(in.readAllBytes()).isEqualTo(content);
    }
  }

  private static BlockingQueue<String> readLines(InputStream output) {
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread.ofVirtual().start(() -> {
      try (BufferedReader reader =
          new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8))) {
        String line;
        while ((line = reader.readLine()) != null) {
          lines.add(line);
        }
      } catch (IOException e) {
        lines.add("(output ended: " + e + ")");
      }
    });
    return lines;
  }

  /** Waits for the next line, which must start with {@code prefix}; returns the rest. */
  private static String expectLine(BlockingQueue<String> lines, String prefix)
      throws InterruptedException {
    String line = lines.poll(60, TimeUnit.SECONDS);
    assertThat(line).as("child output line starting with \"%s\"", prefix).startsWith(prefix);
    return line.substring(prefix.length());
  }
}
