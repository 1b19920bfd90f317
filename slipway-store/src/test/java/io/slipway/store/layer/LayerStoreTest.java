package io.slipway.store.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.oci.Digest;
import io.slipway.store.blob.FileBlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerStoreTest {

  @TempDir Path temp;

  @Test
  void doesCommitTheLayerUnderItsDigestWhenStored() throws IOException {
    Path tree = temp.resolve("t");
    TestTrees.populate(tree, Instant.parse("2020-01-01T00:00:00Z"));
    try (FileBlobStore store = FileBlobStore.open(temp.resolve("store"))) {

      LayerDigests digests =
          LayerWriter.store(store, ChangeSet.of(tree), false, LayerWriteOptions.defaults());

      assertThat(store.size(digests.digest())).contains(digests.size());
      byte[] blob;
      try (InputStream in = store.openVerified(digests.digest())) {
        blob = in.readAllBytes();
      }
      assertThat(Digest.sha256(blob)).isEqualTo(digests.digest());
      assertThat(ingestFiles()).isEmpty();
    }
  }

  @Test
  void doesLeaveNothingBehindWhenTheTreeCannotBeWritten() throws IOException {
    Path tree = temp.resolve("t");
    Files.createDirectories(tree);
    Files.writeString(tree.resolve(".wh.bad"), "x");
    try (FileBlobStore store = FileBlobStore.open(temp.resolve("store"))) {

      assertThatThrownBy(
              () -> LayerWriter.store(store, ChangeSet.of(tree), false, LayerWriteOptions.defaults()))
          .isInstanceOf(UnsupportedEntryException.class);

      try (Stream<Digest> stored = store.list()) {
        assertThat(stored).isEmpty();
      }
      assertThat(ingestFiles()).isEmpty();
    }
  }

  /** Files in the store's ingest area other than its locks: partial writes left behind. */
  private java.util.List<Path> ingestFiles() throws IOException {
    Path ingest = temp.resolve("store/ingest");
    try (Stream<Path> files = Files.walk(ingest)) {
      return files
          .filter(Files::isRegularFile)
          .filter(file -> !file.getFileName().toString().matches("(content\\.)?lock"))
          .toList();
    }
  }
}
