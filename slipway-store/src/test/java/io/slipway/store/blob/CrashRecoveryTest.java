package io.slipway.store.blob;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.oci.Digest;
import io.slipway.testing.ChildJvm;
import io.slipway.testing.IntegrationTest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
    String closedId;
    String openId;
    try (ChildJvm child =
        ChildJvm.start(
            directory.resolve("child.log"), List.of(), InterruptedWrites.class, root.toString())) {
      List<String> lines = child.awaitOutput("writing\n", Duration.ofSeconds(60)).lines().toList();
      closedId = valueAfter(lines, "closed ");
      openId = valueAfter(lines, "open ");
      // While the writer lives, opening the store from another process must not touch its
      // temporary ingest.
      try (FileBlobStore concurrent = FileBlobStore.open(root)) {
        assertThat(concurrent.ingest(closedId)).isPresent();
        try (Stream<Path> temporary = Files.list(root.resolve("ingest/tmp"))) {
          assertThat(temporary).as("temporary ingest of the live writer").hasSize(1);
        }
      }
      Thread.sleep(100);
    }

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

  /** The rest of the line that starts with {@code prefix}. */
  private static String valueAfter(List<String> lines, String prefix) {
    return lines.stream()
        .filter(line -> line.startsWith(prefix))
        .findFirst()
        .map(line -> line.substring(prefix.length()))
        .orElseThrow(() -> new AssertionError("no line starting with \"" + prefix + "\" in " + lines));
  }
}
