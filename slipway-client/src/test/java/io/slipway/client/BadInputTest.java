package io.slipway.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.client.auth.CredentialSource;
import io.slipway.client.auth.MalformedChallengeException;
import io.slipway.client.testing.FakeRegistry;
import io.slipway.client.testing.TestContent;
import io.slipway.client.testing.TestContent.Image;
import io.slipway.oci.Descriptor;
import io.slipway.oci.Digest;
import io.slipway.oci.MediaTypes;
import io.slipway.store.blob.BlobStore;
import io.slipway.store.blob.FileBlobStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a lying or broken registry gets: a clear error, and nothing stored or left behind. */
class BadInputTest {
  @TempDir Path dir;

  private FakeRegistry registry;
  private RegistryClient client;
  private BlobStore store;

  @BeforeEach
  void start() throws Exception {
    registry = new FakeRegistry();
    client = RegistryClient.create(ClientSettings.defaults().withRetry(RetryPolicy.none()),
        CredentialSource.anonymous());
    store = FileBlobStore.open(dir.resolve("store"));
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

  private long storedCount() throws Exception {
    try (Stream<Digest> all = store.list()) {
      return all.count();
    }
  }

  private long ingestFiles() throws Exception {
    Path ingest = dir.resolve("store/ingest");
    if (!Files.exists(ingest)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(ingest)) {
      // The store keeps its directories and two lock files there; partial data would be files.
      return files.filter(Files::isRegularFile)
          .filter(f -> !f.getFileName().toString().matches("(content\\.)?lock")).count();
    }
  }

  @Test
  void doesRejectManifestWhenBytesDoNotMatchItsDigest() throws Exception {
    Image image = TestContent.image(1, "linux/amd64", 100);
    TestContent.serve(registry, "liar", "v1", image);
    Digest claimed = image.manifest().digest();
    // Serve other bytes under the digest the client asks for.
    Image other = TestContent.image(2, "linux/amd64", 100);
    registry.hook((exchange, method, path) -> {
      if (path.endsWith("/manifests/" + claimed)) {
        exchange.getResponseHeaders().add("Content-Type", MediaTypes.OCI_MANIFEST);
        byte[] bytes = other.manifest().bytes();
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        return true;
      }
      return false;
    });
    assertThatThrownBy(() -> client.pull(repo("liar"), claimed.toString(), store, null,
        TransferListener.none()))
        .isInstanceOf(ContentMismatchException.class)
        .hasMessageContaining("hashes to " + other.manifest().digest())
        .hasMessageContaining("not " + claimed)
        .hasMessageContaining("nothing was stored");
    assertThat(storedCount()).isZero();
  }

  @Test
  void doesRejectTaggedManifestWhenDockerContentDigestDisagrees() throws Exception {
    Image image = TestContent.image(3, "linux/amd64", 100);
    registry.hook((exchange, method, path) -> {
      if (path.endsWith("/manifests/v1")) {
        exchange.getResponseHeaders().add("Content-Type", MediaTypes.OCI_MANIFEST);
        exchange.getResponseHeaders().add("Docker-Content-Digest",
            Digest.sha256(new byte[] {1}).toString());
        byte[] bytes = image.manifest().bytes();
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        return true;
      }
      return false;
    });
    assertThatThrownBy(() -> client.fetchManifest(repo("liar"), "v1"))
        .isInstanceOf(ContentMismatchException.class);
  }

  @Test
  void doesStopBlobAtDescriptorSizeWhenRegistrySendsMore() throws Exception {
    byte[] real = TestContent.bytes(4, 5000);
    byte[] longer = new byte[real.length + 100_000];
    System.arraycopy(real, 0, longer, 0, real.length);
    Descriptor blob = Descriptor.of(MediaTypes.OCI_LAYER_GZIP, real);
    registry.hook((exchange, method, path) -> {
      if (path.endsWith("/blobs/" + blob.digest())) {
        exchange.sendResponseHeaders(200, longer.length);
        exchange.getResponseBody().write(longer);
        return true;
      }
      return false;
    });
    assertThatThrownBy(() -> client.fetchBlob(repo("long"), blob, store, TransferListener.none()))
        .isInstanceOf(ContentMismatchException.class)
        .hasMessageContaining("longer than its descriptor's 5000 bytes")
        .hasMessageContaining("nothing was stored");
    assertThat(store.exists(blob.digest())).isFalse();
    assertThat(ingestFiles()).as("ingest leftovers").isZero();
  }

  @Test
  void doesRejectBlobWhenContentHashesToAnotherDigest() throws Exception {
    byte[] real = TestContent.bytes(5, 5000);
    byte[] forged = TestContent.bytes(6, 5000);
    Descriptor blob = Descriptor.of(MediaTypes.OCI_LAYER_GZIP, real);
    registry.hook((exchange, method, path) -> {
      if (path.endsWith("/blobs/" + blob.digest())) {
        exchange.sendResponseHeaders(200, forged.length);
        exchange.getResponseBody().write(forged);
        return true;
      }
      return false;
    });
    assertThatThrownBy(() -> client.fetchBlob(repo("forged"), blob, store, TransferListener.none()))
        .isInstanceOf(ContentMismatchException.class)
        .hasMessageContaining("hashes to " + Digest.sha256(forged));
    assertThat(storedCount()).isZero();
  }

  @Test
  void doesReportMalformedChallengeWhenRegistrySendsGarbage() {
    registry.hook((exchange, method, path) -> {
      exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"https://unterminated");
      FakeRegistry.error(exchange, 401, "UNAUTHORIZED", "auth");
      return true;
    });
    assertThatThrownBy(() -> client.resolve(repo("weird"), "v1"))
        .isInstanceOf(MalformedChallengeException.class)
        .hasMessageContaining("unterminated quoted string");
  }

  @Test
  void doesRejectManifestWhenItIsOverTheSizeLimit() throws Exception {
    byte[] huge = new byte[(4 << 20) + 10];
    registry.hook((exchange, method, path) -> {
      exchange.getResponseHeaders().add("Content-Type", MediaTypes.OCI_MANIFEST);
      exchange.sendResponseHeaders(200, huge.length);
      exchange.getResponseBody().write(huge);
      return true;
    });
    assertThatThrownBy(() -> client.fetchManifest(repo("huge"), "v1"))
        .isInstanceOf(UnsupportedContentException.class)
        .hasMessageContaining("larger than the limit of 4194304 bytes");
  }
}
