package io.slipway.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.client.auth.CredentialSource;
import io.slipway.client.testing.FakeRegistry;
import io.slipway.client.testing.TestContent;
import io.slipway.client.testing.TestContent.Image;
import io.slipway.oci.Digest;
import io.slipway.store.blob.BlobStore;
import io.slipway.store.blob.FileBlobStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Transient failures are retried within the budget; meaningful errors are not. */
class RetryTest {
  @TempDir Path dir;

  private FakeRegistry registry;
  private RegistryClient client;
  private BlobStore store;

  @BeforeEach
  void start() throws Exception {
    registry = new FakeRegistry();
    client = client(new RetryPolicy(Duration.ofMillis(50), Duration.ofMillis(400),
        Duration.ofSeconds(10), 30, Duration.ofSeconds(5)));
    store = FileBlobStore.open(dir.resolve("store"));
  }

  private RegistryClient client(RetryPolicy policy) throws java.io.IOException {
    return RegistryClient.create(
        ClientSettings.defaults().withRetry(policy).withUploads(10_000, 32_000),
        CredentialSource.anonymous());
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    registry.close();
    store.close();
  }

  private Repository repo(String name) {
    return Repository.of(registry.host(), name);
  }

  @Test
  void doesWaitOutNotFoundWhenRegistryLagsForOneAndAHalfSecondsAfterPush() throws Exception {
    AtomicLong pushedAt = new AtomicLong();
    registry.hook((exchange, method, path) -> {
      if (method.equals("PUT") && path.contains("/manifests/")) {
        pushedAt.set(System.nanoTime());
        return false;
      }
      boolean lagging = pushedAt.get() != 0
          && System.nanoTime() - pushedAt.get() < Duration.ofMillis(1500).toNanos();
      if (lagging && path.contains("/manifests/") && !method.equals("PUT")) {
        exchange.getRequestBody().readAllBytes();
        FakeRegistry.error(exchange, 404, "MANIFEST_UNKNOWN", "not yet");
        return true;
      }
      return false;
    });
    Image image = TestContent.image(1, "linux/amd64", 100);
    TestContent.store(store, image);
    long start = System.nanoTime();
    client.push(store, image.manifest().descriptor(), repo("lag"), List.of("v1"), null,
        TransferListener.none());
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(1400)).isLessThan(Duration.ofSeconds(8));
    assertThat(registry.requests()).filteredOn(r -> r.method().equals("HEAD")
        && r.path().endsWith("/manifests/v1")).hasSizeGreaterThan(1);
  }

  @Test
  void doesNotRetryNotFoundWhenNothingWasJustPushed() {
    assertThatThrownBy(() -> client.resolve(repo("absent"), "v1"))
        .isInstanceOf(RegistryException.class);
    assertThat(registry.requests()).hasSize(1);
  }

  @Test
  void doesSucceedWhenRegistryAnswers503ThenOk() throws Exception {
    AtomicInteger failures = new AtomicInteger(2);
    registry.hook((exchange, method, path) -> {
      if (path.contains("/manifests/") && failures.getAndDecrement() > 0) {
        FakeRegistry.error(exchange, 503, "UNAVAILABLE", "try later");
        return true;
      }
      return false;
    });
    Image image = TestContent.image(2, "linux/amd64", 100);
    TestContent.serve(registry, "flaky", "v1", image);
    assertThat(client.fetchManifest(repo("flaky"), "v1").digest())
        .isEqualTo(image.manifest().digest());
    assertThat(registry.requests()).hasSize(3);
  }

  @Test
  void doesHonourRetryAfterWhenRegistryAnswers429() throws Exception {
    AtomicBoolean limited = new AtomicBoolean(true);
    registry.hook((exchange, method, path) -> {
      if (limited.getAndSet(false)) {
        exchange.getResponseHeaders().add("Retry-After", "1");
        FakeRegistry.error(exchange, 429, "TOOMANYREQUESTS", "slow down");
        return true;
      }
      return false;
    });
    Image image = TestContent.image(3, "linux/amd64", 100);
    TestContent.serve(registry, "limited", "v1", image);
    long start = System.nanoTime();
    client.resolve(repo("limited"), "v1");
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(950));
    assertThat(registry.requests()).hasSize(2);
  }

  @Test
  void doesListEveryAttemptWhenRetriesRunOut() throws Exception {
    client.close();
    client = client(new RetryPolicy(Duration.ofMillis(10), Duration.ofMillis(20),
        Duration.ofSeconds(5), 3, Duration.ZERO));
    registry.hook((exchange, method, path) -> {
      FakeRegistry.error(exchange, 502, "", "bad gateway");
      return true;
    });
    assertThatThrownBy(() -> client.resolve(repo("down"), "v1"))
        .isInstanceOfSatisfying(RetriesExhaustedException.class, e -> {
          assertThat(e.attempts()).hasSize(3);
          assertThat(e.attempts()).allSatisfy(a -> assertThat(a.cause()).isEqualTo("HTTP 502"));
          assertThat(e).hasMessageContaining("HEAD http://" + registry.host()
              + "/v2/down/manifests/v1 failed after 3 attempts: #1 ");
        });
  }

  @Test
  void doesResumeChunkedUploadFromServerRangeWhenConnectionIsCutMidChunk() throws Exception {
    AtomicInteger patches = new AtomicInteger();
    registry.hook((exchange, method, path) -> {
      if (method.equals("PATCH") && patches.incrementAndGet() == 2) {
        // Keep 10,000 bytes of the second chunk, then drop the connection without answering.
        FakeRegistry.keepPartialBody(exchange, registry, 10_000);
        throw new java.io.IOException("cut");
      }
      return false;
    });
    Image image = TestContent.image(4, "linux/amd64", 100_000);
    TestContent.store(store, image);
    client.push(store, image.manifest().descriptor(), repo("resume"), List.of("v1"), null,
        TransferListener.none());
    assertThat(registry.hasBlob("resume", Digest.sha256(image.blobs().get(1)))).isTrue();
    List<FakeRegistry.Request> uploadStatus = registry.requests().stream()
        .filter(r -> r.method().equals("GET") && r.path().contains("/blobs/uploads/")).toList();
    assertThat(uploadStatus).hasSize(1);
    // 32,000 bytes, then the cut chunk of which 10,000 arrived, then 42,000-73,999 and the rest:
    // resuming from the server's Range rather than resending the whole chunk.
    assertThat(patches.get()).isEqualTo(4);
  }

  @Test
  void doesResumeDownloadWithRangeWhenConnectionIsCutMidBlob() throws Exception {
    Image image = TestContent.image(5, "linux/amd64", 300_000);
    TestContent.serve(registry, "cut", "v1", image);
    byte[] layer = image.blobs().get(1);
    AtomicBoolean cut = new AtomicBoolean(true);
    registry.hook((exchange, method, path) -> {
      if (method.equals("GET") && path.endsWith(Digest.sha256(layer).toString())
          && cut.getAndSet(false)) {
        exchange.sendResponseHeaders(200, layer.length);
        exchange.getResponseBody().write(layer, 0, 100_000);
        exchange.getResponseBody().flush();
        throw new java.io.IOException("cut");
      }
      return false;
    });
    client.pull(repo("cut"), "v1", store, null, TransferListener.none());
    assertThat(store.exists(Digest.sha256(layer))).isTrue();
    assertThat(registry.requests()).filteredOn(r -> r.path().endsWith(Digest.sha256(layer).toString()))
        .hasSize(2);
  }

  @Test
  void doesResumeRegistryToRegistryCopyFromTargetRangeWhenConnectionIsCutMidBlob()
      throws Exception {
    // Larger than one hash checkpoint interval, so the resume re-reads from a checkpoint past 0.
    int size = (int) (2.5 * HashCheckpoints.INTERVAL);
    int cutAt = (int) (1.5 * HashCheckpoints.INTERVAL);
    Image image = TestContent.image(6, "linux/amd64", size);
    TestContent.serve(registry, "origin", "v1", image);
    Digest layer = Digest.sha256(image.blobs().get(1));
    List<String> patchRanges = new CopyOnWriteArrayList<>();
    List<String> sourceRanges = new CopyOnWriteArrayList<>();
    registry.hook((exchange, method, path) -> {
      if (method.equals("GET") && path.endsWith(layer.toString())) {
        sourceRanges.add(String.valueOf(exchange.getRequestHeaders().getFirst("Range")));
      }
      return false;
    });
    try (FakeRegistry target = new FakeRegistry()) {
      target.hook((exchange, method, path) -> {
        if (method.equals("PATCH")) {
          patchRanges.add(exchange.getRequestHeaders().getFirst("Content-Range"));
          if (patchRanges.size() == 1) {
            // Keep the first 1.5 intervals of the body, then drop the connection unanswered.
            FakeRegistry.keepPartialBody(exchange, target, cutAt);
            throw new java.io.IOException("cut");
          }
        }
        return false;
      });
      client.copy(repo("origin"), "v1", Repository.of(target.host(), "copy"), List.of("v1"),
          store, null, TransferListener.none());

      assertThat(target.hasBlob("copy", layer)).as("blob committed at the target").isTrue();
      assertThat(target.requests()).as("the blob was closed once")
          .filteredOn(r -> r.method().equals("PUT") && r.path().contains(layer.encoded()))
          .hasSize(1);
    }
    // The second PATCH continues where the target said it stopped; the source is re-read from
    // the last checkpoint before that point, not from zero.
    assertThat(patchRanges).containsExactly("0-" + (size - 1), cutAt + "-" + (size - 1));
    assertThat(sourceRanges).hasSize(2).first().isEqualTo("null");
    assertThat(sourceRanges.get(1)).matches("bytes=\\d+-");
    long resumedFrom = Long.parseLong(sourceRanges.get(1).replaceAll("[^0-9]", ""));
    assertThat(resumedFrom).as("re-read starts at a checkpoint after 0, at or before the cut")
        .isBetween(HashCheckpoints.INTERVAL, (long) cutAt);
  }

  @Test
  void doesRefuseResumedCopyWhenSourceSendsOtherBytesAfterTheCut() throws Exception {
    int size = (int) (2.5 * HashCheckpoints.INTERVAL);
    Image image = TestContent.image(8, "linux/amd64", size);
    TestContent.serve(registry, "origin", "v1", image);
    byte[] layer = image.blobs().get(1);
    Digest digest = Digest.sha256(layer);
    AtomicInteger gets = new AtomicInteger();
    registry.hook((exchange, method, path) -> {
      if (method.equals("GET") && path.endsWith(digest.toString()) && gets.incrementAndGet() == 2) {
        // The resumed read gets bytes that differ from the first read's past the cut.
        int from = Integer.parseInt(exchange.getRequestHeaders().getFirst("Range")
            .replaceAll("[^0-9]", ""));
        byte[] changed = java.util.Arrays.copyOfRange(layer, from, layer.length);
        changed[changed.length - 1] ^= 1;
        exchange.sendResponseHeaders(206, changed.length);
        exchange.getResponseBody().write(changed);
        exchange.getResponseBody().close();
        return true;
      }
      return false;
    });
    try (FakeRegistry target = new FakeRegistry()) {
      AtomicBoolean cut = new AtomicBoolean(true);
      target.hook((exchange, method, path) -> {
        if (method.equals("PATCH") && cut.getAndSet(false)) {
          FakeRegistry.keepPartialBody(exchange, target, (int) (1.5 * HashCheckpoints.INTERVAL));
          throw new java.io.IOException("cut");
        }
        return false;
      });
      assertThatThrownBy(() -> client.copy(repo("origin"), "v1",
              Repository.of(target.host(), "copy"), List.of("v1"), store, null,
              TransferListener.none()))
          .isInstanceOf(ContentMismatchException.class)
          .hasMessageContaining("blob " + digest + " from " + registry.host() + "/origin hashes to");
      assertThat(target.hasBlob("copy", digest)).as("nothing committed").isFalse();
      assertThat(target.requests()).as("the session was never closed")
          .noneMatch(r -> r.method().equals("PUT") && r.path().contains(digest.encoded()));
      assertThat(target.hasManifest("copy", "v1")).isFalse();
    }
  }

  @Test
  void doesGiveLargeBodyTimeToSendWhenTargetTakesLongerThanRequestTimeout() throws Exception {
    client.close();
    client = RegistryClient.create(ClientSettings.defaults()
        .withRetry(RetryPolicy.none()).withUploads(10_000, 32_000)
        .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(60)), CredentialSource.anonymous());
    // 3 MiB: three more seconds to send it than the 1 s request timeout allows for headers.
    Image image = TestContent.image(9, "linux/amd64", 3 << 20);
    TestContent.serve(registry, "origin", "v1", image);
    Digest layer = Digest.sha256(image.blobs().get(1));
    try (FakeRegistry target = new FakeRegistry()) {
      target.hook((exchange, method, path) -> {
        if (method.equals("PATCH")) {
          // A target that reads the body slowly: the answer comes 1.5 s after the request.
          try {
            Thread.sleep(1500);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        return false;
      });
      client.copy(repo("origin"), "v1", Repository.of(target.host(), "copy"), List.of("v1"),
          store, null, TransferListener.none());
      assertThat(target.hasBlob("copy", layer)).isTrue();
      assertThat(target.requests()).filteredOn(r -> r.method().equals("PATCH")).hasSize(1);
    }
  }
}
