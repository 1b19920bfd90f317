package io.slipway.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.client.auth.CredentialSource;
import io.slipway.client.testing.FakeRegistry;
import io.slipway.client.testing.TestContent;
import io.slipway.client.testing.TestContent.Image;
import io.slipway.oci.Descriptor;
import io.slipway.oci.Digest;
import io.slipway.oci.ManifestBytes;
import io.slipway.oci.Platform;
import io.slipway.store.blob.BlobStore;
import io.slipway.store.blob.FileBlobStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryClientTest {
  @TempDir Path dir;

  private FakeRegistry registry;
  private RegistryClient client;
  private BlobStore source;
  private BlobStore target;

  @BeforeEach
  void start() throws Exception {
    registry = new FakeRegistry();
    client = RegistryClient.create(ClientSettings.defaults(), CredentialSource.anonymous());
    source = FileBlobStore.open(dir.resolve("source"));
    target = FileBlobStore.open(dir.resolve("target"));
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    registry.close();
    source.close();
    target.close();
  }

  private Repository repo(String name) {
    return Repository.of(registry.host(), name);
  }

  private void assertStored(BlobStore store, Image image) throws Exception {
    assertThat(store.exists(image.manifest().digest())).as("manifest stored").isTrue();
    for (byte[] blob : image.blobs()) {
      assertThat(store.exists(Digest.sha256(blob))).as("blob stored").isTrue();
    }
  }

  @Test
  void doesRoundTripImageWhenPushedThenPulled() throws Exception {
    Image image = TestContent.image(1, "linux/amd64", 1000, 50_000);
    TestContent.store(source, image);
    client.push(source, image.manifest().descriptor(), repo("team/app"), List.of("v1"), null,
        TransferListener.none());
    assertThat(registry.manifest("team/app", "v1")).isEqualTo(image.manifest().bytes());

    Descriptor pulled = client.pull(repo("team/app"), "v1", target, null, TransferListener.none());
    assertThat(pulled.digest()).isEqualTo(image.manifest().digest());
    assertStored(target, image);
    assertThat(client.tags(repo("team/app"))).containsExactly("v1");
  }

  @Test
  void doesPushChildrenBeforeParentsAndTagsLast() throws Exception {
    Image amd = TestContent.image(2, "linux/amd64", 100);
    Image arm = TestContent.image(3, "linux/arm64", 100);
    ManifestBytes index = TestContent.index(List.of(amd, arm), List.of("linux/amd64", "linux/arm64/v8"));
    TestContent.store(source, amd);
    TestContent.store(source, arm);
    TestContent.store(source, index);
    client.push(source, index.descriptor(), repo("multi"), List.of("latest"), null,
        TransferListener.none());
    List<String> puts = registry.requests().stream()
        .filter(r -> r.method().equals("PUT") && r.path().contains("/manifests/"))
        .map(FakeRegistry.Request::path).toList();
    assertThat(puts).hasSize(4);
    assertThat(puts.get(2)).endsWith("/manifests/" + index.digest());
    assertThat(puts.get(3)).endsWith("/manifests/latest");
    assertThat(puts.subList(0, 2)).allSatisfy(p -> assertThat(p).doesNotContain(index.digest().toString()));
  }

  @Test
  void doesCopyWholeIndexOrOnePlatformWhenAsked() throws Exception {
    Image amd = TestContent.image(4, "linux/amd64", 100);
    Image arm = TestContent.image(5, "linux/arm64", 100);
    ManifestBytes index = TestContent.index(List.of(amd, arm), List.of("linux/amd64", "linux/arm64/v8"));
    TestContent.serve(registry, "src", "a", amd);
    TestContent.serve(registry, "src", "b", arm);
    registry.putManifest("src", "multi", index.mediaType(), index.bytes());

    client.copy(repo("src"), "multi", repo("all"), List.of("multi"), target, null,
        TransferListener.none());
    assertThat(registry.manifest("all", "multi")).isEqualTo(index.bytes());
    assertThat(registry.hasManifest("all", arm.manifest().digest().toString())).isTrue();

    Descriptor one = client.copy(repo("src"), "multi", repo("one"), List.of("arm"),
        target, Platform.parse("linux/arm64"), TransferListener.none());
    assertThat(one.digest()).isEqualTo(arm.manifest().digest());
    assertThat(registry.hasManifest("one", amd.manifest().digest().toString())).isFalse();
  }

  @Test
  void doesMountBlobsWhenCopyingWithinOneRegistry() throws Exception {
    Image image = TestContent.image(6, "linux/amd64", 2000);
    TestContent.serve(registry, "from", "v1", image);
    client.copy(repo("from"), "v1", repo("to"), List.of("v1"), target, null,
        TransferListener.none());
    assertThat(registry.requests()).filteredOn(r -> r.path().contains("mount=")).hasSize(2);
    assertThat(registry.requests()).filteredOn(r -> r.method().equals("PATCH")).isEmpty();
    assertThat(registry.hasBlob("to", Digest.sha256(image.blobs().get(1)))).isTrue();
  }

  @Test
  void doesStreamBlobsWithoutStoringThemWhenCopyingBetweenRegistries() throws Exception {
    Image image = TestContent.image(10, "linux/amd64", 150_000, 2000);
    TestContent.serve(registry, "origin", "v1", image);
    try (FakeRegistry other = new FakeRegistry()) {
      Descriptor copied = client.copy(repo("origin"), "v1", Repository.of(other.host(), "copy"),
          List.of("v1"), target, null, TransferListener.none());
      assertThat(copied.digest()).isEqualTo(image.manifest().digest());
      assertThat(other.manifest("copy", "v1")).isEqualTo(image.manifest().bytes());
      for (byte[] blob : image.blobs()) {
        assertThat(other.hasBlob("copy", Digest.sha256(blob))).isTrue();
      }
    }
    try (var stored = target.list()) {
      assertThat(stored).as("nothing staged on disk").isEmpty();
    }
  }

  @Test
  void doesOpenTheUploadSessionWhileTheSourceAnswersTheBlobsGet() throws Exception {
    Image image = TestContent.image(11, "linux/amd64", 2000);
    TestContent.serve(registry, "origin", "v1", image);
    CountDownLatch sourceAsked = new CountDownLatch(1);
    registry.hook((exchange, method, path) -> {
      if (method.equals("GET") && path.contains("/blobs/")) {
        sourceAsked.countDown();
      }
      return false;
    });
    List<Boolean> overlapped = new CopyOnWriteArrayList<>();
    try (FakeRegistry other = new FakeRegistry()) {
      // Each POST waits for a blob GET at the source: done one after the other, no GET would
      // come while a POST waits, and every POST would give up after 5 s.
      other.hook((exchange, method, path) -> {
        if (method.equals("POST")) {
          try {
            overlapped.add(sourceAsked.await(5, TimeUnit.SECONDS));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        return false;
      });
      client.copy(repo("origin"), "v1", Repository.of(other.host(), "copy"), List.of("v1"),
          target, null, TransferListener.none());

      for (byte[] blob : image.blobs()) {
        assertThat(other.hasBlob("copy", Digest.sha256(blob))).isTrue();
      }
    }
    assertThat(overlapped).as("one POST per blob, each while a GET was under way")
        .hasSize(image.blobs().size()).containsOnly(true);
  }

  @Test
  void doesFailTheCopyWithTheTargetsRefusalWhenItsUploadSessionIsRefused() throws Exception {
    Image image = TestContent.image(12, "linux/amd64", 2000);
    TestContent.serve(registry, "origin", "v1", image);
    try (FakeRegistry other = new FakeRegistry()) {
      other.hook((exchange, method, path) -> {
        if (method.equals("POST")) {
          FakeRegistry.error(exchange, 403, "DENIED", "no pushes here");
          return true;
        }
        return false;
      });
      assertThatThrownBy(() -> client.copy(repo("origin"), "v1",
              Repository.of(other.host(), "copy"), List.of("v1"), target, null,
              TransferListener.none()))
          .isInstanceOf(RegistryException.class)
          .hasMessageContaining("DENIED").hasMessageContaining("no pushes here");
      assertThat(other.requests()).as("no blob was sent")
          .noneMatch(r -> r.method().equals("PUT") || r.method().equals("PATCH"));
      assertThat(other.hasManifest("copy", "v1")).isFalse();
    }
  }

  @Test
  void doesTransferEachBlobOnceWhenSameImageIsPulledConcurrently() throws Exception {
    Image image = TestContent.image(7, "linux/amd64", 200_000, 300_000);
    TestContent.serve(registry, "shared", "v1", image);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Descriptor>> pulls = List.of(
          pool.submit(() -> client.pull(repo("shared"), "v1", target, null, TransferListener.none())),
          pool.submit(() -> client.pull(repo("shared"), "v1", target, null, TransferListener.none())),
          pool.submit(() -> client.pull(repo("shared"), "v1", target, null, TransferListener.none())));
      for (Future<Descriptor> pull : pulls) {
        assertThat(pull.get(20, TimeUnit.SECONDS).digest()).isEqualTo(image.manifest().digest());
      }
    }
    for (byte[] blob : image.blobs()) {
      assertThat(registry.requests()).filteredOn(r -> r.method().equals("GET")
          && r.path().endsWith("/blobs/" + Digest.sha256(blob))).hasSizeLessThanOrEqualTo(1);
    }
    assertStored(target, image);
  }

  @Test
  void doesUploadInChunksWhenBlobIsOverMonolithicLimit() throws Exception {
    client.close();
    client = RegistryClient.create(ClientSettings.defaults().withUploads(10_000, 64_000),
        CredentialSource.anonymous());
    Image image = TestContent.image(8, "linux/amd64", 200_000);
    TestContent.store(source, image);
    client.push(source, image.manifest().descriptor(), repo("chunky"), List.of("v1"), null,
        TransferListener.none());
    assertThat(registry.requests()).filteredOn(r -> r.method().equals("PATCH")).hasSize(4);
    assertThat(registry.hasBlob("chunky", Digest.sha256(image.blobs().get(1)))).isTrue();
  }

  @Test
  void doesUseHttpsWhenRegistryIsNotLocalOrInsecure() {
    ClientSettings settings = ClientSettings.defaults().withInsecure(Set.of("lab.example:5000"));
    assertThat(settings.allowsPlainHttp("localhost:5000")).isTrue();
    assertThat(settings.allowsPlainHttp("127.0.0.1:41234")).isTrue();
    assertThat(settings.allowsPlainHttp("lab.example:5000")).isTrue();
    assertThat(settings.allowsPlainHttp("lab.example")).isFalse();
    assertThat(settings.allowsPlainHttp("ghcr.io")).isFalse();
  }

  @Test
  void doesAskALoopbackRegistryForItsSchemeOnce() throws Exception {
    Image image = TestContent.image(9, "linux/amd64", 10);
    TestContent.serve(registry, "r", "v1", image);
    client.resolve(repo("r"), "v1");
    client.resolve(repo("r"), "v1");
    assertThat(registry.schemeChecks()).isEqualTo(1);
  }

  @Test
  void doesResolveWithHeadWhenRegistrySendsDigest() throws Exception {
    Image image = TestContent.image(9, "linux/amd64", 10);
    TestContent.serve(registry, "r", "v1", image);
    Descriptor resolved = client.resolve(repo("r"), "v1");
    assertThat(resolved).isEqualTo(image.manifest().descriptor());
    assertThat(registry.requests()).extracting(FakeRegistry.Request::method).containsExactly("HEAD");
  }

  @Test
  void doesFailWithRegistryCodeWhenManifestIsUnknown() {
    assertThatThrownBy(() -> client.resolve(repo("nothing"), "v1"))
        .isInstanceOfSatisfying(RegistryException.class, e -> {
          assertThat(e.status()).isEqualTo(404);
          assertThat(e.request()).contains("/v2/nothing/manifests/v1");
        });
    assertThatThrownBy(() -> client.fetchManifest(repo("nothing"), "v1"))
        .isInstanceOfSatisfying(RegistryException.class,
            e -> assertThat(e.code()).isEqualTo("MANIFEST_UNKNOWN"));
  }

  @Test
  void doesNotRetryWhenRegistryDeniesAccess() throws Exception {
    registry.hook((exchange, method, path) -> {
      FakeRegistry.error(exchange, 403, "DENIED", "requested access to the resource is denied");
      return true;
    });
    assertThatThrownBy(() -> client.fetchManifest(repo("x"), "v1"))
        .isInstanceOfSatisfying(RegistryException.class, e -> {
          assertThat(e.status()).isEqualTo(403);
          assertThat(e.code()).isEqualTo("DENIED");
          assertThat(e).hasMessageContaining("lack permission");
        });
    assertThat(registry.requests()).hasSize(1);
  }

  @Test
  void doesTimeOutWhenRegistryNeverAnswers() throws Exception {
    client.close();
    client = RegistryClient.create(ClientSettings.defaults()
            .withTimeouts(Duration.ofMillis(300), Duration.ofMillis(300))
            .withRetry(new RetryPolicy(Duration.ofMillis(10), Duration.ofMillis(20),
                Duration.ofSeconds(5), 2, Duration.ZERO)),
        CredentialSource.anonymous());
    registry.hook((exchange, method, path) -> {
      try {
        Thread.sleep(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return true;
    });
    long start = System.nanoTime();
    assertThatThrownBy(() -> client.resolve(repo("slow"), "v1"))
        .isInstanceOf(RetriesExhaustedException.class)
        .hasMessageContaining("2 attempts")
        .hasMessageContaining("HttpTimeoutException");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
  }
}
