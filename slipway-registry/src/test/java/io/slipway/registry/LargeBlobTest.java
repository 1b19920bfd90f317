package io.slipway.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.oci.Digest;
import io.slipway.oci.DigestAlgorithm;
import io.slipway.testing.IntegrationTest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 2 GiB blob pushed (streamed PATCH) and pulled while the registry runs in a child JVM with a
 * 128 MiB heap: proof that neither direction buffers a blob in memory.
 */
@IntegrationTest
class LargeBlobTest {
  private static final long SIZE = 2L * 1024 * 1024 * 1024;
  private static final int BLOCK = 1024 * 1024;

  @TempDir Path root;

  /** 2 GiB of deterministic, incompressible bytes, generated on the fly. */
  private static final class Generated extends InputStream {
    private final byte[] block = new byte[BLOCK];
    private long position;

    Generated() {
      new Random(42).nextBytes(block);
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
      if (position >= SIZE) {
        return -1;
      }
      int inBlock = (int) (position % BLOCK);
      int n = (int) Math.min(Math.min(length, BLOCK - inBlock), SIZE - position);
      System.arraycopy(block, inBlock, buffer, offset, n);
      // Vary each block so the blob is not one block repeated.
      if (inBlock == 0 && n >= 8) {
        long index = position / BLOCK;
        for (int i = 0; i < 8; i++) {
          buffer[offset + i] = (byte) (index >>> (8 * i));
        }
      }
      position += n;
      return n;
    }
  }

  private static Digest digestOf(InputStream in) throws IOException {
    MessageDigest sha256 = DigestAlgorithm.SHA256.newHasher();
    byte[] buffer = new byte[BLOCK];
    int n;
    long total = 0;
    while ((n = in.read(buffer)) >= 0) {
      sha256.update(buffer, 0, n);
      total += n;
    }
    assertThat(total).isEqualTo(SIZE);
    return Digest.fromHash(DigestAlgorithm.SHA256, sha256.digest());
  }

  @Test
  void doesPushAndPullTwoGibibytesWhenHeapIs128Mebibytes() throws Exception {
    Digest digest = digestOf(new Generated());
    int exit;
    try (ChildRegistry child =
            ChildRegistry.start(root.resolve("registry"), root.resolve("child.log"),
                List.of("-Xmx128m"));
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
      String base = child.baseUri().toString();

      HttpResponse<Void> start = client.send(
          HttpRequest.newBuilder(URI.create(base + "/v2/big/blobs/uploads/"))
              .POST(HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.discarding());
      String location = base + start.headers().firstValue("Location").orElseThrow();
      HttpResponse<Void> patch = client.send(
          HttpRequest.newBuilder(URI.create(location))
              .method("PATCH", HttpRequest.BodyPublishers.ofInputStream(Generated::new)).build(),
          HttpResponse.BodyHandlers.discarding());
      HttpResponse<Void> put = client.send(
          HttpRequest.newBuilder(URI.create(location + "?digest=" + digest))
              .PUT(HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.discarding());
      HttpResponse<InputStream> get = client.send(
          HttpRequest.newBuilder(URI.create(base + "/v2/big/blobs/" + digest)).GET().build(),
          HttpResponse.BodyHandlers.ofInputStream());
      Digest pulled;
      try (InputStream body = get.body()) {
        pulled = digestOf(body);
      }
      HttpResponse<byte[]> tail = client.send(
          HttpRequest.newBuilder(URI.create(base + "/v2/big/blobs/" + digest))
              .header("Range", "bytes=" + (SIZE - 16) + "-").GET().build(),
          HttpResponse.BodyHandlers.ofByteArray());

      assertThat(start.statusCode()).isEqualTo(202);
      assertThat(patch.statusCode()).isEqualTo(202);
      assertThat(patch.headers().firstValue("Range")).hasValue("0-" + (SIZE - 1));
      assertThat(put.statusCode()).isEqualTo(201);
      assertThat(get.headers().firstValueAsLong("Content-Length")).hasValue(SIZE);
      assertThat(pulled).isEqualTo(digest);
      assertThat(tail.statusCode()).isEqualTo(206);
      assertThat(tail.body()).hasSize(16);
      assertThat(child.isAlive()).as("registry survived with -Xmx128m").isTrue();
      exit = child.stop(Duration.ofSeconds(60));
    }
    assertThat(exit).as("registry stopped cleanly").isZero();
  }
}
