package io.slipway.store.blob;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.oci.Digest;
import io.slipway.oci.DigestAlgorithm;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileBlobStoreTest {

  @TempDir Path root;

  private FileBlobStore store;

  @BeforeEach
  void openStore() throws IOException {
    store = FileBlobStore.open(root);
  }

  @AfterEach
  void closeStore() throws IOException {
    store.close();
  }

  // ---- writing and reading ----

  @Test
  void doesStoreAndReadBackWhenContentMatchesDigestAndSize() throws IOException {
    byte[] content = randomBytes(100_000, 1);
    Digest digest = Digest.sha256(content);

    assertThat(store.put(new ByteArrayInputStream(content), digest, content.length))
        .isEqualTo(digest);

    assertThat(store.exists(digest)).isTrue();
    assertThat(store.size(digest)).contains((long) content.length);
    try (InputStream in = store.openVerified(digest)) {
      assertThat(in.readAllBytes()).isEqualTo(content);
    }
    assertThat(ingestLeftovers()).isEmpty();
  }

  @Test
  void doesPlaceBlobUnderAlgorithmAndPrefixWhenCommitted() throws IOException {
    byte[] content = "layout".getBytes(UTF_8);
    Digest digest = Digest.sha256(content);

    store.put(new ByteArrayInputStream(content), digest, -1);

    Path expected =
        root.toRealPath()
            .resolve("blobs/sha256")
            .resolve(digest.encoded().substring(0, 2))
            .resolve(digest.encoded());
    assertThat(expected).isRegularFile().hasBinaryContent(content);
    assertThat(store.blobPath(digest)).isEqualTo(expected);
  }

  @Test
  void doesServeZeroCopyChannelWhenOpenedForTransfer() throws IOException {
    byte[] content = randomBytes(300_000, 2);
    Digest digest = store.put(new ByteArrayInputStream(content), Digest.sha256(content), -1);
    ByteArrayOutputStream sink = new ByteArrayOutputStream();

    try (FileChannel channel = store.openChannel(digest)) {
      long sent = 0;
      while (sent < channel.size()) {
        sent += channel.transferTo(sent, channel.size() - sent, Channels.newChannel(sink));
      }
    }

    assertThat(sink.toByteArray()).isEqualTo(content);
  }

  @Test
  void doesStoreSha512BlobsWhenDigestIsSha512() throws IOException {
    byte[] content = randomBytes(70_000, 3);
    Digest digest = Digest.of(DigestAlgorithm.SHA512, content);

    store.put(new ByteArrayInputStream(content), digest, content.length);

    assertThat(root.resolve("blobs/sha512").resolve(digest.encoded().substring(0, 2))
            .resolve(digest.encoded()))
        .hasBinaryContent(content);
    try (InputStream in = store.openVerified(digest)) {
      assertThat(in.readAllBytes()).isEqualTo(content);
    }
    try (Stream<Digest> listed = store.list()) {
      assertThat(listed).containsExactly(digest);
    }
  }

  @Test
  void doesCommitUnderOtherAlgorithmWhenWriterHashedSha256() throws IOException {
    byte[] content = randomBytes(10_000, 4);
    Digest sha512 = Digest.of(DigestAlgorithm.SHA512, content);

    try (BlobWriter writer = store.newWriter(DigestAlgorithm.SHA256)) {
      writer.write(content, 0, content.length);
      assertThat(writer.digest(DigestAlgorithm.SHA512)).isEqualTo(sha512);
      assertThat(writer.commit(sha512, content.length)).isEqualTo(sha512);
    }

    assertThat(store.exists(sha512)).isTrue();
    assertThat(ingestLeftovers()).isEmpty();
  }

  @Test
  void doesReportDigestSoFarWhenWriterIsStillOpen() throws IOException {
    byte[] content = "abcdef".getBytes(UTF_8);
    try (BlobWriter writer = store.newTemporaryWriter(DigestAlgorithm.SHA256)) {
      writer.write(content, 0, 3);
      assertThat(writer.digest(DigestAlgorithm.SHA256))
          .isEqualTo(Digest.sha256(Arrays.copyOf(content, 3)));
      writer.write(content, 3, 3);
      assertThat(writer.digest(DigestAlgorithm.SHA256)).isEqualTo(Digest.sha256(content));
      assertThat(writer.size()).isEqualTo(6);
    }
    assertThat(ingestLeftovers()).isEmpty();
  }

  // ---- bad input ----

  @Test
  void doesRejectAndLeaveNothingWhenDigestIsWrong() throws IOException {
    byte[] content = "actual content".getBytes(UTF_8);
    Digest claimed = Digest.sha256("claimed content".getBytes(UTF_8));

    assertThatThrownBy(() -> store.put(new ByteArrayInputStream(content), claimed, content.length))
        .isInstanceOf(BlobDigestMismatchException.class)
        .hasMessage("digest mismatch: expected " + claimed + ", content hashes to "
            + Digest.sha256(content))
        .satisfies(e -> {
          BlobDigestMismatchException mismatch = (BlobDigestMismatchException) e;
          assertThat(mismatch.expected()).isEqualTo(claimed);
          assertThat(mismatch.actual()).isEqualTo(Digest.sha256(content));
        });

    assertThat(store.exists(claimed)).isFalse();
    assertThat(store.exists(Digest.sha256(content))).isFalse();
    assertThat(storedBlobs()).isEmpty();
    assertThat(ingestLeftovers()).isEmpty();
  }

  @Test
  void doesRejectAndLeaveNothingWhenContentIsShorterThanExpected() throws IOException {
    byte[] content = "short".getBytes(UTF_8);
    Digest digest = Digest.sha256(content);

    assertThatThrownBy(() -> store.put(new ByteArrayInputStream(content), digest, 10))
        .isInstanceOf(BlobSizeMismatchException.class)
        .hasMessage("size mismatch: expected 10 bytes, got 5");

    assertThat(storedBlobs()).isEmpty();
    assertThat(ingestLeftovers()).isEmpty();
  }

  @Test
  void doesRejectAndLeaveNothingWhenContentIsLongerThanExpected() throws IOException {
    byte[] content = randomBytes(1_000_000, 5);
    Digest digest = Digest.sha256(content);

    assertThatThrownBy(() -> store.put(new ByteArrayInputStream(content), digest, 1000))
        .isInstanceOf(BlobSizeMismatchException.class)
        .hasMessage("size mismatch: expected 1000 bytes, got 1000000");

    assertThat(storedBlobs()).isEmpty();
    assertThat(ingestLeftovers()).isEmpty();
  }

  @Test
  void doesDeleteResumableIngestWhenCommitFindsWrongDigest() throws IOException {
    byte[] content = "uploaded".getBytes(UTF_8);
    Digest claimed = Digest.sha256("other".getBytes(UTF_8));
    BlobWriter writer = store.newWriter();
    String id = writer.id();
    writer.write(content, 0, content.length);

    assertThatThrownBy(() -> writer.commit(claimed, content.length))
        .isInstanceOf(BlobDigestMismatchException.class)
        .hasMessage("digest mismatch: expected " + claimed + ", content hashes to "
            + Digest.sha256(content));

    assertThat(store.ingest(id)).isEmpty();
    assertThatThrownBy(() -> store.resumeWriter(id))
        .isInstanceOf(IngestNotFoundException.class)
        .hasMessage("no ingest with id " + id);
    assertThat(storedBlobs()).isEmpty();
    assertThat(ingestLeftovers()).isEmpty();
  }

  @Test
  void doesDeleteResumableIngestWhenCommitFindsWrongSize() throws IOException {
    byte[] content = "uploaded".getBytes(UTF_8);
    BlobWriter writer = store.newWriter();
    writer.write(content, 0, content.length);

    assertThatThrownBy(() -> writer.commit(Digest.sha256(content), 9))
        .isInstanceOf(BlobSizeMismatchException.class)
        .hasMessage("size mismatch: expected 9 bytes, got 8");

    assertThat(store.ingest(writer.id())).isEmpty();
    assertThat(storedBlobs()).isEmpty();
    assertThat(ingestLeftovers()).isEmpty();
  }

  @Test
  void doesRefuseWritesWhenWriterIsCommitted() throws IOException {
    byte[] content = "once".getBytes(UTF_8);
    BlobWriter writer = store.newWriter();
    writer.write(content, 0, content.length);
    writer.commit(Digest.sha256(content), content.length);

    assertThatThrownBy(() -> writer.write(content, 0, 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("ingest " + writer.id() + " is committed; resume it or start a new one");
    assertThat(storedBlobs()).containsExactly(Digest.sha256(content));
  }

  @Test
  void doesThrowNotFoundWhenBlobIsAbsent() {
    Digest absent = Digest.sha256("absent".getBytes(UTF_8));

    assertThatThrownBy(() -> store.openChannel(absent))
        .isInstanceOf(BlobNotFoundException.class)
        .hasMessage("blob " + absent + " is not in the store");
    assertThatThrownBy(() -> store.openVerified(absent))
        .isInstanceOf(BlobNotFoundException.class)
        .hasMessage("blob " + absent + " is not in the store");
  }

  @Test
  void doesReportAbsentBlobWhenAskedForSizeOrExistence() throws IOException {
    Digest absent = Digest.sha256("absent".getBytes(UTF_8));

    assertThat(store.exists(absent)).isFalse();
    assertThat(store.size(absent)).isEmpty();
  }

  @Test
  void doesFailVerifiedReadWhenStoredBytesWereChanged() throws IOException {
    byte[] content = "pristine content".getBytes(UTF_8);
    Digest digest = store.put(new ByteArrayInputStream(content), Digest.sha256(content), -1);
    byte[] tampered = "tampered content".getBytes(UTF_8);
    Files.write(store.blobPath(digest), tampered);

    try (InputStream in = store.openVerified(digest)) {
      assertThatThrownBy(in::readAllBytes)
          .isInstanceOf(BlobCorruptedException.class)
          .hasMessage("blob " + digest + " is corrupt: its content hashes to "
              + Digest.sha256(tampered) + "; run `slipway fsck --repair`");
    }
  }

  // ---- crash safety ----

  @Test
  void doesCleanCrashLeftoversWhenStoreOpens() throws IOException {
    BlobWriter resumable = store.newWriter();
    resumable.write("keep me".getBytes(UTF_8), 0, 7);
    resumable.close();
    store.close();
    // What a process killed mid-write leaves: a half-written temporary ingest, a stray directory,
    // and a file in uploads/ that no writer created.
    Path ingest = root.resolve("ingest");
    Files.write(ingest.resolve("tmp/0123456789abcdef0123456789abcdef"), randomBytes(5000, 6));
    Files.createDirectories(ingest.resolve("tmp/stray/nested"));
    Files.write(ingest.resolve("tmp/stray/nested/part"), new byte[10]);
    Files.write(ingest.resolve("uploads/not-an-ingest"), new byte[3]);

    store = FileBlobStore.open(root);

    try (Stream<Path> tmp = Files.list(ingest.resolve("tmp"))) {
      assertThat(tmp).isEmpty();
    }
    assertThat(ingest.resolve("uploads/not-an-ingest")).doesNotExist();
    assertThat(store.ingest(resumable.id())).get().extracting(IngestStatus::size).isEqualTo(7L);
  }

  @Test
  void doesKeepTemporaryIngestsWhenAnotherStoreHasTheRootOpen() throws IOException {
    byte[] content = "in flight".getBytes(UTF_8);
    try (BlobWriter writer = store.newTemporaryWriter(DigestAlgorithm.SHA256)) {
      writer.write(content, 0, content.length);

      try (FileBlobStore second = FileBlobStore.open(root)) {
        assertThat(second.root()).isEqualTo(store.root());
      }

      assertThat(writer.commit(Digest.sha256(content), content.length))
          .isEqualTo(Digest.sha256(content));
    }
    assertThat(storedBlobs()).containsExactly(Digest.sha256(content));
  }

  @Test
  void doesNeverExposePartialBlobWhenWriteIsTruncated() throws IOException {
    byte[] content = randomBytes(200_000, 7);
    Digest digest = Digest.sha256(content);
    BlobWriter writer = store.newTemporaryWriter(DigestAlgorithm.SHA256);
    writer.write(content, 0, content.length / 2);

    assertThat(store.exists(digest)).isFalse();
    assertThat(storedBlobs()).isEmpty();
    assertThatThrownBy(() -> store.openChannel(digest)).isInstanceOf(BlobNotFoundException.class);

    assertThatThrownBy(() -> writer.commit(digest, content.length))
        .isInstanceOf(BlobSizeMismatchException.class)
        .hasMessage("size mismatch: expected 200000 bytes, got 100000");
    assertThat(storedBlobs()).isEmpty();
    assertThat(ingestLeftovers()).isEmpty();
  }

  @Test
  void doesDropTemporaryDataWhenWriterClosesWithoutCommit() throws IOException {
    BlobWriter writer = store.newTemporaryWriter(DigestAlgorithm.SHA256);
    writer.write(new byte[1000], 0, 1000);

    writer.close();

    assertThat(ingestLeftovers()).isEmpty();
    assertThatThrownBy(() -> store.resumeWriter(writer.id()))
        .isInstanceOf(IngestNotFoundException.class)
        .hasMessage("no ingest with id " + writer.id());
  }

  // ---- concurrency ----

  @Test
  void doesKeepOneCopyWhenManyThreadsWriteTheSameDigest() throws Exception {
    byte[] content = randomBytes(1 << 20, 8);
    Digest digest = Digest.sha256(content);
    int writers = 16;
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Digest>> results = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(writers)) {
      for (int i = 0; i < writers; i++) {
        results.add(pool.submit(() -> {
          start.await();
          return store.put(new ByteArrayInputStream(content), digest, content.length);
        }));
      }
      start.countDown();
      for (Future<Digest> result : results) {
        assertThat(result.get(60, TimeUnit.SECONDS)).isEqualTo(digest);
      }
    }

    assertThat(storedBlobs()).containsExactly(digest);
    try (Stream<Path> prefix = Files.list(store.blobPath(digest).getParent())) {
      assertThat(prefix).hasSize(1);
    }
    try (InputStream in = store.openVerified(digest)) {
      assertThat(in.readAllBytes()).isEqualTo(content);
    }
    assertThat(ingestLeftovers()).isEmpty();
  }

  @Test
  void doesKeepServingEveryoneElseWhenAnUploadIsLeftHanging() throws Exception {
    // A client that vanished mid-upload: its ingest stays claimed and open.
    BlobWriter hung = store.newWriter();
    hung.write(new byte[1000], 0, 1000);
    byte[] shared = randomBytes(50_000, 11);
    Digest sharedDigest = store.put(new ByteArrayInputStream(shared), Digest.sha256(shared), -1);

    List<Future<?>> work = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 50; i++) {
        int seed = 100 + i;
        work.add(pool.submit(() -> {
          byte[] content = randomBytes(20_000, seed);
          store.put(new ByteArrayInputStream(content), Digest.sha256(content), content.length);
          try (InputStream in = store.openVerified(sharedDigest)) {
            assertThat(in.readAllBytes()).isEqualTo(shared);
          }
          assertThatThrownBy(() -> store.resumeWriter(hung.id()))
              .isInstanceOf(IngestInUseException.class);
          assertThat(store.purgeIngests(Duration.ZERO)).doesNotContain(hung.id());
          return null;
        }));
      }
      for (Future<?> future : work) {
        future.get(30, TimeUnit.SECONDS);
      }
    }

    assertThat(storedBlobs()).hasSize(51);
    assertThat(store.ingest(hung.id())).get().extracting(IngestStatus::size).isEqualTo(1000L);
    hung.close();
    assertThat(store.resumeWriter(hung.id()).size()).isEqualTo(1000);
  }

  @Test
  void doesRejectSecondWriterWhenIngestIsHeld() throws IOException {
    try (BlobWriter first = store.newWriter()) {
      assertThatThrownBy(() -> store.resumeWriter(first.id()))
          .isInstanceOf(IngestInUseException.class)
          .hasMessage("ingest " + first.id()
              + " is in use by another writer; retry after it is closed");
    }
  }

  @Test
  void doesRejectWriterWhenAnotherStoreInstanceHoldsTheIngest() throws IOException {
    try (BlobWriter first = store.newWriter();
        FileBlobStore second = FileBlobStore.open(root)) {
      assertThatThrownBy(() -> second.resumeWriter(first.id()))
          .isInstanceOf(IngestInUseException.class);
    }
  }

  // ---- resumable ingests ----

  @Test
  void doesResumeWhenWriterWasClosedInThisProcess() throws IOException {
    byte[] content = randomBytes(500_000, 9);
    String id;
    try (BlobWriter writer = store.newWriter()) {
      id = writer.id();
      writer.write(content, 0, 123_456);
    }

    try (BlobWriter resumed = store.resumeWriter(id)) {
      assertThat(resumed.size()).isEqualTo(123_456);
      resumed.write(content, 123_456, content.length - 123_456);
      assertThat(resumed.commit(Digest.sha256(content), content.length))
          .isEqualTo(Digest.sha256(content));
    }

    try (InputStream in = store.openVerified(Digest.sha256(content))) {
      assertThat(in.readAllBytes()).isEqualTo(content);
    }
    assertThat(ingestLeftovers()).isEmpty();
  }

  @Test
  void doesResumeWhenStoreWasReopenedAfterRestart() throws IOException {
    byte[] content = randomBytes(400_000, 10);
    Digest digest = Digest.of(DigestAlgorithm.SHA512, content);
    String id;
    try (BlobWriter writer = store.newWriter(DigestAlgorithm.SHA512)) {
      id = writer.id();
      writer.write(ByteBuffer.wrap(content, 0, 250_000));
    }
    store.close();

    store = FileBlobStore.open(root);
    try (BlobWriter resumed = store.resumeWriter(id)) {
      assertThat(resumed.size()).isEqualTo(250_000);
      resumed.write(ByteBuffer.wrap(content, 250_000, content.length - 250_000));
      resumed.commit(digest, content.length);
    }

    try (InputStream in = store.openVerified(digest)) {
      assertThat(in.readAllBytes()).isEqualTo(content);
    }
    assertThat(ingestLeftovers()).isEmpty();
  }

  @Test
  void doesKeepHasherStateWhenResumedInTheSameProcess() throws IOException {
    String id;
    try (BlobWriter writer = store.newWriter()) {
      id = writer.id();
      writer.write(new byte[5000], 0, 5000);
    }

    try (BlobWriter resumed = store.resumeWriter(id)) {
      assertThat(((FileBlobWriter) resumed).hashKnown()).isTrue();
    }
  }

  @Test
  void doesRehashOnceOnFirstUseWhenResumedAfterRestart() throws IOException {
    byte[] content = randomBytes(8000, 12);
    String id;
    try (BlobWriter writer = store.newWriter()) {
      id = writer.id();
      writer.write(content, 0, 5000);
    }
    store.close();
    store = FileBlobStore.open(root);

    try (BlobWriter resumed = store.resumeWriter(id)) {
      FileBlobWriter writer = (FileBlobWriter) resumed;
      assertThat(writer.hashKnown()).as("hashed before first use").isFalse();
      writer.write(content, 5000, 3000);
      assertThat(writer.hashKnown()).as("hashed after first use").isTrue();
      assertThat(writer.commit(Digest.sha256(content), content.length))
          .isEqualTo(Digest.sha256(content));
    }
  }

  @Test
  void doesRejectResumeWhenIdIsUnknownOrMalformed() throws IOException {
    for (String id : List.of("0123456789abcdef0123456789abcdef", "../../blobs", "", "ABC")) {
      assertThatThrownBy(() -> store.resumeWriter(id))
          .isInstanceOf(IngestNotFoundException.class)
          .hasMessage("no ingest with id " + id);
    }
    assertThat(ingestLeftovers()).isEmpty();
  }

  @Test
  void doesReportIngestStatusWithoutOpeningIt() throws IOException {
    BlobWriter writer = store.newWriter(DigestAlgorithm.SHA512);
    writer.write(new byte[4096], 0, 4096);
    writer.close();

    assertThat(store.ingest(writer.id()))
        .get()
        .satisfies(status -> {
          assertThat(status.id()).isEqualTo(writer.id());
          assertThat(status.algorithm()).isEqualTo(DigestAlgorithm.SHA512);
          assertThat(status.size()).isEqualTo(4096);
          assertThat(status.lastWritten()).isAfter(Instant.now().minusSeconds(60));
        });
  }

  @Test
  void doesDeleteResumableIngestWhenAborted() throws IOException {
    BlobWriter writer = store.newWriter();
    writer.write(new byte[100], 0, 100);

    writer.abort();

    assertThat(store.ingest(writer.id())).isEmpty();
    assertThat(ingestLeftovers()).isEmpty();
  }

  @Test
  void doesPurgeOnlyIdleIngestsOlderThanTheAge() throws IOException {
    BlobWriter old = store.newWriter();
    old.write(new byte[10], 0, 10);
    old.close();
    BlobWriter recent = store.newWriter();
    recent.write(new byte[10], 0, 10);
    recent.close();
    BlobWriter held = store.newWriter();
    held.write(new byte[10], 0, 10);
    FileTime twoHoursAgo = FileTime.from(Instant.now().minus(Duration.ofHours(2)));
    for (String id : List.of(old.id(), held.id())) {
      Files.setLastModifiedTime(root.resolve("ingest/uploads/" + id + ".sha256"), twoHoursAgo);
    }

    assertThat(store.purgeIngests(Duration.ofHours(1))).containsExactly(old.id());

    assertThat(store.ingest(old.id())).isEmpty();
    assertThat(store.ingest(recent.id())).isPresent();
    assertThat(store.ingest(held.id())).isPresent();
    held.close();
  }

  // ---- delete and list ----

  @Test
  void renewRestartsAStoredBlobsAgeAndSaysWhenItIsNotStored() throws IOException {
    byte[] content = "renewed".getBytes(UTF_8);
    Digest digest = store.put(new ByteArrayInputStream(content), Digest.sha256(content), -1);
    FileTime old = FileTime.from(Instant.now().minusSeconds(7200));
    Files.setLastModifiedTime(store.blobPath(digest), old);

    assertThat(store.renew(digest)).isTrue();
    assertThat(Files.getLastModifiedTime(store.blobPath(digest))).isGreaterThan(old);
    assertThat(store.deleteIf(digest, () -> true)).isTrue();
    assertThat(store.renew(digest)).isFalse();
    assertThat(store.exists(digest)).as("renew never makes a blob").isFalse();
  }

  @Test
  void doesListAndDeleteStoredBlobs() throws IOException {
    List<Digest> stored = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      byte[] content = ("blob " + i).getBytes(UTF_8);
      stored.add(store.put(new ByteArrayInputStream(content), Digest.sha256(content), -1));
    }
    byte[] big = "sha512 blob".getBytes(UTF_8);
    stored.add(store.put(new ByteArrayInputStream(big), Digest.of(DigestAlgorithm.SHA512, big), -1));
    Files.write(root.resolve("blobs/sha256/zz"), new byte[1]);

    assertThat(storedBlobs()).containsExactlyInAnyOrderElementsOf(stored);

    assertThat(store.deleteIf(stored.get(0), () -> true)).isTrue();
    assertThat(store.deleteIf(stored.get(0), () -> true)).isFalse();
    assertThat(store.exists(stored.get(0))).isFalse();
    assertThat(storedBlobs()).containsExactlyInAnyOrderElementsOf(stored.subList(1, 4));
  }

  @Test
  void doesRefuseUseWhenStoreIsClosed() throws IOException {
    store.close();

    assertThatThrownBy(store::newWriter)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("blob store at " + root.toRealPath() + " is closed");
  }

  // ---- helpers ----

  private List<Digest> storedBlobs() throws IOException {
    try (Stream<Digest> digests = store.list()) {
      return digests.toList();
    }
  }

  /** Every file under ingest/ except the ownership and content locks. */
  private List<Path> ingestLeftovers() throws IOException {
    Path ingest = root.resolve("ingest");
    try (Stream<Path> files = Files.walk(ingest)) {
      return files
          .filter(Files::isRegularFile)
          .filter(path -> !path.equals(ingest.resolve("lock"))
              && !path.equals(ingest.resolve("content.lock")))
          .toList();
    }
  }

  private static byte[] randomBytes(int length, long seed) {
    byte[] bytes = new byte[length];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }
}
