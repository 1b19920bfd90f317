package io.slipway.registry.gc;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.oci.Digest;
import io.slipway.registry.RegistryConfig;
import io.slipway.registry.RegistryServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShutdownTest {
  @TempDir Path root;

  /** A body that sends half, waits for {@code release}, then sends the rest (or hangs forever). */
  private static InputStream slowBody(byte[] content, CountDownLatch started, CountDownLatch release) {
    return new InputStream() {
      private int position;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] buffer, int offset, int length) throws IOException {
        if (position >= content.length) {
          return -1;
        }
        if (position == content.length / 2) {
          started.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            throw new IOException(e);
          }
        }
        int end = position < content.length / 2 ? content.length / 2 : content.length;
        int n = Math.min(length, end - position);
        System.arraycopy(content, position, buffer, offset, n);
        position += n;
        return n;
      }
    };
  }

  private static CompletableFuture<HttpResponse<String>> upload(
      HttpClient client, URI base, byte[] content, CountDownLatch started, CountDownLatch release) {
    return client.sendAsync(
        HttpRequest.newBuilder(
                URI.create(base + "/v2/app/blobs/uploads/?digest=" + Digest.sha256(content)))
            .POST(HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofInputStream(
                    () -> slowBody(content, started, release)), content.length))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void doesStopPromptlyWhenOnlyIdleKeepAliveConnectionsRemain() throws Exception {
    RegistryServer server =
        RegistryServer.start(
            RegistryConfig.defaults(root).withAddress("127.0.0.1", 0),
            MaintenanceConfig.defaults().withShutdownTimeout(Duration.ofSeconds(30)));
    try (HttpClient client = HttpClient.newHttpClient()) {
      HttpResponse<String> ping =
          client.send(
              HttpRequest.newBuilder(URI.create(server.baseUri() + "/v2/")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(ping.statusCode()).isEqualTo(200);

      // The client keeps its connection open; nothing is in flight, so there is nothing to drain.
      long started = System.nanoTime();
      server.close();
      Duration took = Duration.ofNanos(System.nanoTime() - started);

      assertThat(took).as("close with an idle keep-alive client").isLessThan(Duration.ofSeconds(10));
    }
  }

  @Test
  void doesFinishUploadInFlightWhenClosedWithinTimeout() throws Exception {
    byte[] content = new byte[256 * 1024];
    new java.util.Random(1).nextBytes(content);
    RegistryServer server =
        RegistryServer.start(
            RegistryConfig.defaults(root).withAddress("127.0.0.1", 0),
            MaintenanceConfig.defaults().withShutdownTimeout(Duration.ofSeconds(20)));
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (HttpClient client = HttpClient.newHttpClient()) {
      var response = upload(client, server.baseUri(), content, started, release);
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
      Thread.sleep(200);

      CompletableFuture<Void> closing =
          CompletableFuture.runAsync(() -> {
            try {
              server.close();
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          });
      Thread.sleep(300);
      assertThat(closing).as("close waits for the upload").isNotDone();
      release.countDown();

      assertThat(response.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(201);
      closing.get(20, TimeUnit.SECONDS);
    }
    try (RegistryServer again =
            RegistryServer.start(RegistryConfig.defaults(root).withAddress("127.0.0.1", 0));
        Pusher pusher = new Pusher(again.baseUri())) {
      var blob = pusher.send("GET", "/v2/app/blobs/" + Digest.sha256(content), null);
      assertThat(blob.statusCode()).isEqualTo(200);
      assertThat(blob.body()).isEqualTo(content);
    }
  }

  @Test
  void doesCancelHungUploadWhenTimeoutPasses() throws Exception {
    byte[] content = new byte[64 * 1024];
    RegistryServer server =
        RegistryServer.start(
            RegistryConfig.defaults(root).withAddress("127.0.0.1", 0),
            MaintenanceConfig.defaults().withShutdownTimeout(Duration.ofMillis(500)));
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    // Not try-with-resources: close() waits for every exchange to finish, and this test
    // abandons one on purpose; the client's own threads may still hold its half-sent body.
    HttpClient client = HttpClient.newHttpClient();
    try {
      var response = upload(client, server.baseUri(), content, started, never);
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

      long begun = System.nanoTime();
      server.close();
      long tookMillis = (System.nanoTime() - begun) / 1_000_000;

      assertThat(tookMillis).as("close bounded by the shutdown timeout").isLessThan(10_000);
      never.countDown();
      int status =
          response.handle((answer, failure) -> failure != null ? -1 : answer.statusCode())
              .get(20, TimeUnit.SECONDS);
      assertThat(status)
          .as("the hung upload was cancelled (connection closed or 503), not acknowledged")
          .isIn(-1, 503);
    } finally {
      client.shutdownNow();
    }
    try (RegistryServer again =
        RegistryServer.start(RegistryConfig.defaults(root).withAddress("127.0.0.1", 0))) {
      assertThat(again.registry().blobs().exists(Digest.sha256(content))).isFalse();
    }
  }
}
