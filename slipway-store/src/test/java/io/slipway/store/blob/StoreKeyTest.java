package io.slipway.store.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.oci.Digest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreKeyTest {

  @TempDir Path root;

  private final Digest digest = Digest.sha256(new byte[] {1, 2, 3});

  @Test
  void keepsOnePrivateKeyPerStoreAcrossOpens() throws IOException {
    String first;
    try (FileBlobStore store = FileBlobStore.open(root)) {
      first = store.key().orElseThrow().fingerprint();
    }
    try (FileBlobStore store = FileBlobStore.open(root)) {
      assertThat(store.key().orElseThrow().fingerprint()).isEqualTo(first);
    }
    assertThat(PosixFilePermissions.toString(
        Files.getPosixFilePermissions(root.resolve(StoreKey.FILE_NAME)))).isEqualTo("rw-------");
    try (var entries = Files.list(root)) {
      assertThat(entries.map(p -> p.getFileName().toString()))
          .as("no temporary key file left behind").noneMatch(n -> n.endsWith(".tmp"));
    }
  }

  @Test
  void acceptsOnlyTheProofForTheSameSessionAndDigest() throws IOException {
    StoreKey key = StoreKey.openOrCreate(root);
    String proof = key.signLink("session-1", digest);
    assertThat(key.verifyLink("session-1", digest, proof)).isTrue();
    assertThat(key.verifyLink("session-2", digest, proof)).isFalse();
    assertThat(key.verifyLink("session-1", Digest.sha256(new byte[] {4}), proof)).isFalse();
    assertThat(key.verifyLink("session-1", digest, "00".repeat(32))).isFalse();
    Path other = Files.createDirectories(root.resolve("other"));
    assertThat(StoreKey.openOrCreate(other).verifyLink("session-1", digest, proof)).isFalse();
    assertThat(key.toString()).doesNotContain(proof).contains(key.fingerprint());
  }

  @Test
  void agreesOnOneKeyWhenManyOpenAtOnce() throws Exception {
    List<Future<String>> fingerprints = new ArrayList<>();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 16; i++) {
        fingerprints.add(threads.submit(() -> StoreKey.openOrCreate(root).fingerprint()));
      }
    }
    String expected = StoreKey.openOrCreate(root).fingerprint();
    for (Future<String> fingerprint : fingerprints) {
      assertThat(fingerprint.get()).isEqualTo(expected);
    }
  }

  @Test
  void refusesAKeyFileThatIsNotAKeyButTheStoreStillOpensWithoutOne() throws IOException {
    Files.writeString(root.resolve(StoreKey.FILE_NAME), "not hex");
    assertThatThrownBy(() -> StoreKey.openOrCreate(root))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("store-key does not hold a hex key");
    try (FileBlobStore store = FileBlobStore.open(root)) {
      assertThat(store.key()).isEmpty();
      assertThat(store.put(new java.io.ByteArrayInputStream(new byte[] {1, 2, 3}), digest, 3))
          .isEqualTo(digest);
    }
  }
}
