package io.slipway.store.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.oci.Digest;
import io.slipway.oci.DigestAlgorithm;
import io.slipway.store.blob.BlobStore;
import io.slipway.store.blob.BlobWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerStoreTest {

  @TempDir Path temp;

  @Test
  void doesCommitTheLayerUnderItsDigestWhenStored() throws IOException {
    Path tree = temp.resolve("t");
    TestTrees.populate(tree, Instant.parse("2020-01-01T00:00:00Z"));
    MemoryBlobStore store = new MemoryBlobStore();

    LayerDigests digests = LayerWriter.store(store, ChangeSet.of(tree), false, LayerWriteOptions.defaults());

    byte[] blob = store.committed.get(digests.digest());
    assertThat(blob).hasSize((int) digests.size());
    assertThat(Digest.sha256(blob)).isEqualTo(digests.digest());
    assertThat(store.aborted).isZero();
  }

  @Test
  void doesAbortTheIngestWhenTheTreeCannotBeWritten() throws IOException {
    Path tree = temp.resolve("t");
    Files.createDirectories(tree);
    Files.writeString(tree.resolve(".wh.bad"), "x");
    MemoryBlobStore store = new MemoryBlobStore();

    assertThatThrownBy(() -> LayerWriter.store(store, ChangeSet.of(tree), false, LayerWriteOptions.defaults()))
        .isInstanceOf(UnsupportedEntryException.class);
    assertThat(store.committed).isEmpty();
    assertThat(store.aborted).isEqualTo(1);
  }

  /** Just enough of a blob store to see what a layer write commits or aborts. */
  private static final class MemoryBlobStore implements BlobStore {
    final Map<Digest, byte[]> committed = new HashMap<>();
    int aborted;

    @Override
    public BlobWriter newWriter(DigestAlgorithm algorithm) {
      throw new UnsupportedOperationException("layer writing uses temporary ingests");
    }

    @Override
    public Optional<io.slipway.store.blob.IngestStatus> ingest(String ingestId) {
      return Optional.empty();
    }

    @Override
    public java.util.List<String> purgeIngests(java.time.Duration age) {
      return java.util.List.of();
    }

    @Override
    public BlobWriter newTemporaryWriter(DigestAlgorithm algorithm) {
      ByteArrayOutputStream data = new ByteArrayOutputStream();
      return new BlobWriter() {
        @Override
        public String id() {
          return "memory";
        }

        @Override
        public long size() {
          return data.size();
        }

        @Override
        public void write(ByteBuffer bytes) {
          byte[] copy = new byte[bytes.remaining()];
          bytes.get(copy);
          data.writeBytes(copy);
        }

        @Override
        public Digest digest(DigestAlgorithm algorithm) {
          return Digest.of(algorithm, data.toByteArray());
        }

        @Override
        public Digest commit(Digest expected, long expectedSize) {
          assertThat(Digest.sha256(data.toByteArray())).isEqualTo(expected);
          assertThat((long) data.size()).isEqualTo(expectedSize);
          committed.put(expected, data.toByteArray());
          return expected;
        }

        @Override
        public void abort() {
          aborted++;
        }

        @Override
        public void close() {}
      };
    }

    @Override
    public boolean exists(Digest digest) {
      return committed.containsKey(digest);
    }

    @Override
    public Optional<Long> size(Digest digest) {
      return Optional.ofNullable(committed.get(digest)).map(b -> (long) b.length);
    }

    @Override
    public FileChannel openChannel(Digest digest) {
      throw new UnsupportedOperationException("not used by layer writing");
    }

    @Override
    public InputStream openVerified(Digest digest) {
      return new ByteArrayInputStream(committed.get(digest));
    }

    @Override
    public Digest put(InputStream content, Digest expected, long expectedSize) {
      throw new UnsupportedOperationException("not used by layer writing");
    }

    @Override
    public BlobWriter resumeWriter(String ingestId) {
      throw new UnsupportedOperationException("not used by layer writing");
    }

    @Override
    public boolean delete(Digest digest) {
      return committed.remove(digest) != null;
    }

    @Override
    public Stream<Digest> list() {
      return committed.keySet().stream();
    }

    @Override
    public void close() {}
  }
}
