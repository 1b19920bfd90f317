package io.slipway.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.oci.Digest;
import io.slipway.oci.DigestAlgorithm;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobApiTest {
  @TempDir Path root;
  TestRegistry registry;

  @BeforeEach
  void start() throws Exception {
    registry = TestRegistry.start(RegistryConfig.defaults(root).withAddress("127.0.0.1", 0)
        .withChunkMinLength(5));
  }

  @AfterEach
  void stop() throws Exception {
    registry.close();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** Partial uploads and temporary writes left in the store's ingest area. */
  private long ingestFiles() throws Exception {
    long count = 0;
    for (String area : new String[] {"uploads", "tmp"}) {
      try (var files = Files.list(root.resolve("ingest").resolve(area))) {
        count += files.count();
      }
    }
    return count;
  }

  @Test
  void doesServeBlobWhenPushedMonolithically() throws Exception {
    Digest digest = registry.pushBlob("app", bytes("hello blob"));

    HttpResponse<byte[]> get = registry.getBytes("/v2/app/blobs/" + digest);
    HttpResponse<String> head = registry.send("HEAD", "/v2/app/blobs/" + digest, null);

    assertThat(get.statusCode()).isEqualTo(200);
    assertThat(new String(get.body(), StandardCharsets.UTF_8)).isEqualTo("hello blob");
    assertThat(get.headers().firstValue("Docker-Content-Digest")).hasValue(digest.toString());
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.headers().firstValue("Content-Length")).hasValue("10");
    assertThat(head.body()).isEmpty();
  }

  @Test
  void doesAnswerPartialContentWhenRangeRequested() throws Exception {
    Digest digest = registry.pushBlob("app", bytes("0123456789"));

    HttpResponse<byte[]> middle = registry.getBytes("/v2/app/blobs/" + digest, "Range", "bytes=2-5");
    HttpResponse<byte[]> suffix = registry.getBytes("/v2/app/blobs/" + digest, "Range", "bytes=-3");

    assertThat(middle.statusCode()).isEqualTo(206);
    assertThat(new String(middle.body(), StandardCharsets.UTF_8)).isEqualTo("2345");
    assertThat(middle.headers().firstValue("Content-Range")).hasValue("bytes 2-5/10");
    assertThat(new String(suffix.body(), StandardCharsets.UTF_8)).isEqualTo("789");
  }

  @Test
  void doesAnswer416WithMatchingLengthWhenRangeIsUnsatisfiable() throws Exception {
    Digest digest = registry.pushBlob("app", bytes("0123456789"));

    HttpResponse<byte[]> response =
        registry.getBytes("/v2/app/blobs/" + digest, "Range", "bytes=10-20");

    assertThat(response.statusCode()).isEqualTo(416);
    assertThat(response.headers().firstValue("Content-Range")).hasValue("bytes */10");
    assertThat(response.headers().firstValueAsLong("Content-Length"))
        .hasValue(response.body().length);
    assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains("RANGE_INVALID");
  }

  @Test
  void doesRejectAndStoreNothingWhenDigestIsWrong() throws Exception {
    Digest claimed = Digest.sha256(bytes("something else"));

    HttpResponse<String> response =
        registry.send("POST", "/v2/app/blobs/uploads/?digest=" + claimed, bytes("actual content"));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(TestRegistry.errorCode(response)).isEqualTo("DIGEST_INVALID");
    assertThat(registry.server.registry().blobs().exists(claimed)).isFalse();
    assertThat(registry.server.registry().blobs().exists(Digest.sha256(bytes("actual content"))))
        .isFalse();
    assertThat(ingestFiles()).isZero();
  }

  @Test
  void doesHideBlobWhenPushedOnlyToAnotherRepository() throws Exception {
    Digest digest = registry.pushBlob("team-a/app", bytes("secret layer"));

    HttpResponse<String> response = registry.send("GET", "/v2/team-b/app/blobs/" + digest, null);

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(TestRegistry.errorCode(response)).isEqualTo("BLOB_UNKNOWN");
  }

  @Test
  void doesMountWhenSourceRepositoryHasBlob() throws Exception {
    Digest digest = registry.pushBlob("source", bytes("shared layer"));

    HttpResponse<String> mount =
        registry.send("POST", "/v2/target/blobs/uploads/?mount=" + digest + "&from=source", null);

    assertThat(mount.statusCode()).isEqualTo(201);
    assertThat(mount.headers().firstValue("Location")).hasValue("/v2/target/blobs/" + digest);
    assertThat(registry.send("GET", "/v2/target/blobs/" + digest, null).statusCode())
        .isEqualTo(200);
  }

  @Test
  void doesMountWithoutFromWhenBlobIsVisibleSomewhere() throws Exception {
    Digest digest = registry.pushBlob("source", bytes("shared layer"));

    HttpResponse<String> mount =
        registry.send("POST", "/v2/target/blobs/uploads/?mount=" + digest, null);

    assertThat(mount.statusCode()).isEqualTo(201);
  }

  @Test
  void doesStartUploadWhenMountSourceLacksBlob() throws Exception {
    Digest digest = registry.pushBlob("source", bytes("shared layer"));

    HttpResponse<String> mount =
        registry.send("POST", "/v2/target/blobs/uploads/?mount=" + digest + "&from=elsewhere", null);

    assertThat(mount.statusCode()).isEqualTo(202);
    assertThat(mount.headers().firstValue("Location")).hasValueSatisfying(
        location -> assertThat(location).startsWith("/v2/target/blobs/uploads/"));
    assertThat(registry.send("GET", "/v2/target/blobs/" + digest, null).statusCode())
        .isEqualTo(404);
  }

  private String startUpload(String name) throws Exception {
    HttpResponse<String> start = registry.send("POST", "/v2/" + name + "/blobs/uploads/", null);
    assertThat(start.statusCode()).isEqualTo(202);
    return start.headers().firstValue("Location").orElseThrow();
  }

  @Test
  void doesAssembleBlobWhenChunksArriveInOrder() throws Exception {
    HttpResponse<String> start = registry.send("POST", "/v2/app/blobs/uploads/", null);
    String location = start.headers().firstValue("Location").orElseThrow();

    HttpResponse<String> first =
        registry.send("PATCH", location, bytes("01234"), "Content-Range", "0-4");
    HttpResponse<String> second =
        registry.send("PATCH", location, bytes("56789"), "Content-Range", "5-9");
    HttpResponse<String> status = registry.send("GET", location, null);
    Digest digest = Digest.sha256(bytes("0123456789"));
    HttpResponse<String> done = registry.send("PUT", location + "?digest=" + digest, null);

    assertThat(start.headers().firstValue("OCI-Chunk-Min-Length")).hasValue("5");
    assertThat(first.statusCode()).isEqualTo(202);
    assertThat(first.headers().firstValue("Range")).hasValue("0-4");
    assertThat(second.headers().firstValue("Range")).hasValue("0-9");
    assertThat(status.statusCode()).isEqualTo(204);
    assertThat(status.headers().firstValue("Range")).hasValue("0-9");
    assertThat(done.statusCode()).isEqualTo(201);
    assertThat(new String(registry.getBytes("/v2/app/blobs/" + digest).body(),
        StandardCharsets.UTF_8)).isEqualTo("0123456789");
  }

  @Test
  void doesAnswer416WhenChunkLeavesGap() throws Exception {
    String location = startUpload("app");
    registry.send("PATCH", location, bytes("01234"), "Content-Range", "0-4");

    HttpResponse<String> gap =
        registry.send("PATCH", location, bytes("abcde"), "Content-Range", "10-14");

    assertThat(gap.statusCode()).isEqualTo(416);
    assertThat(gap.headers().firstValue("Range")).hasValue("0-4");
    assertThat(registry.send("GET", location, null).headers().firstValue("Range")).hasValue("0-4");
  }

  @Test
  void doesAnswer416WhenChunkOverlaps() throws Exception {
    String location = startUpload("app");
    registry.send("PATCH", location, bytes("01234"), "Content-Range", "0-4");

    HttpResponse<String> overlap =
        registry.send("PATCH", location, bytes("34567"), "Content-Range", "3-7");

    assertThat(overlap.statusCode()).isEqualTo(416);
    assertThat(TestRegistry.errorCode(overlap)).isEqualTo("RANGE_INVALID");
    assertThat(registry.send("GET", location, null).headers().firstValue("Range")).hasValue("0-4");
  }

  @Test
  void doesAppendWholeBodyWhenPatchIsStreamed() throws Exception {
    String location = startUpload("app");
    registry.send("PATCH", location, bytes("stream-1 "));
    registry.send("PATCH", location, bytes("stream-2"));
    Digest digest = Digest.sha256(bytes("stream-1 stream-2"));

    HttpResponse<String> done = registry.send("PUT", location + "?digest=" + digest, null);

    assertThat(done.statusCode()).isEqualTo(201);
  }

  @Test
  void doesRejectAndDeleteUploadWhenFinalDigestIsWrong() throws Exception {
    String location = startUpload("app");
    registry.send("PATCH", location, bytes("content"));
    Digest wrong = Digest.sha256(bytes("other"));

    HttpResponse<String> done = registry.send("PUT", location + "?digest=" + wrong, null);

    assertThat(done.statusCode()).isEqualTo(400);
    assertThat(TestRegistry.errorCode(done)).isEqualTo("DIGEST_INVALID");
    assertThat(registry.send("GET", location, null).statusCode()).isEqualTo(404);
    assertThat(ingestFiles()).isZero();
  }

  @Test
  void doesAnswer404WhenUploadIdIsUnknown() throws Exception {
    HttpResponse<String> unknown =
        registry.send("PATCH", "/v2/app/blobs/uploads/no-such-upload", bytes("x"));
    HttpResponse<String> traversal =
        registry.send("GET", "/v2/app/blobs/uploads/..%2F..%2Fmeta.db", null);

    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(TestRegistry.errorCode(unknown)).isEqualTo("BLOB_UPLOAD_UNKNOWN");
    assertThat(traversal.statusCode()).isEqualTo(404);
  }

  @Test
  void doesAnswer404WhenUploadBelongsToAnotherRepository() throws Exception {
    String location = startUpload("app");

    HttpResponse<String> response =
        registry.send("GET", location.replace("/v2/app/", "/v2/other/"), null);

    assertThat(response.statusCode()).isEqualTo(404);
  }

  @Test
  void doesForgetUploadWhenCancelled() throws Exception {
    String location = startUpload("app");
    registry.send("PATCH", location, bytes("partial"));

    HttpResponse<String> cancel = registry.send("DELETE", location, null);

    assertThat(cancel.statusCode()).isEqualTo(204);
    assertThat(registry.send("GET", location, null).statusCode()).isEqualTo(404);
    assertThat(ingestFiles()).isZero();
  }

  @Test
  void doesAcceptSha512WhenClientAsksForIt() throws Exception {
    HttpResponse<String> start =
        registry.send("POST", "/v2/app/blobs/uploads/?digest-algorithm=sha512", null);
    String location = start.headers().firstValue("Location").orElseThrow();
    Digest digest = Digest.of(DigestAlgorithm.SHA512, bytes("sha512 content"));

    HttpResponse<String> done =
        registry.send("PUT", location + "?digest=" + digest, bytes("sha512 content"));

    assertThat(start.statusCode()).isEqualTo(202);
    assertThat(done.statusCode()).isEqualTo(201);
    assertThat(registry.getBytes("/v2/app/blobs/" + digest).statusCode()).isEqualTo(200);
  }

  @Test
  void doesRejectUnknownDigestAlgorithm() throws Exception {
    HttpResponse<String> start =
        registry.send("POST", "/v2/app/blobs/uploads/?digest-algorithm=md5", null);

    assertThat(start.statusCode()).isEqualTo(400);
    assertThat(TestRegistry.errorCode(start)).isEqualTo("DIGEST_INVALID");
  }

  @Test
  void doesResumeUploadWhenServerRestarts() throws Exception {
    String location = startUpload("app");
    registry.send("PATCH", location, bytes("before restart, "), "Content-Range", "0-15");
    registry.close();
    registry = TestRegistry.start(root);
    Digest digest = Digest.sha256(bytes("before restart, after restart"));

    HttpResponse<String> status = registry.send("GET", location, null);
    HttpResponse<String> rest =
        registry.send("PATCH", location, bytes("after restart"), "Content-Range", "16-28");
    HttpResponse<String> done = registry.send("PUT", location + "?digest=" + digest, null);

    assertThat(status.headers().firstValue("Range")).hasValue("0-15");
    assertThat(rest.statusCode()).isEqualTo(202);
    assertThat(done.statusCode()).isEqualTo(201);
  }

  @Test
  void doesPurgeUploadsWhenIdleLongerThanMaximum() throws Exception {
    registry.close();
    registry = TestRegistry.start(RegistryConfig.defaults(root).withAddress("127.0.0.1", 0)
        .withUploadMaxIdle(Duration.ofMillis(200)));
    String location = startUpload("app");
    registry.send("PATCH", location, bytes("abandoned"));
    Thread.sleep(300);

    // The server's own purger may get there first; either way the session must be gone.
    int purged = new UploadPurger(registry.server.registry()).purge();

    assertThat(purged).isBetween(0, 1);
    assertThat(registry.send("GET", location, null).statusCode()).isEqualTo(404);
    assertThat(ingestFiles()).isZero();
  }

  @Test
  void doesStoreNothingWhenMonolithicBodyIsTruncated() throws Exception {
    Digest digest = Digest.sha256(new byte[1000]);
    try (Socket socket = new Socket("127.0.0.1", registry.server.port())) {
      OutputStream out = socket.getOutputStream();
      out.write(("POST /v2/app/blobs/uploads/?digest=" + digest + " HTTP/1.1\r\nHost: x\r\n"
          + "Content-Length: 1000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(new byte[400]);
      out.flush();
      socket.shutdownOutput();
      socket.getInputStream().readAllBytes();
    }
    // The server notices the cut on its own thread; give it a moment.
    for (int i = 0; i < 50 && ingestFiles() > 0; i++) {
      Thread.sleep(100);
    }

    assertThat(registry.server.registry().blobs().exists(digest)).isFalse();
    assertThat(ingestFiles()).isZero();
    assertThat(registry.send("HEAD", "/v2/app/blobs/" + digest, null).statusCode()).isEqualTo(404);
  }

  @Test
  void doesKeepReceivedBytesWhenChunkIsTruncated() throws Exception {
    String location = startUpload("app");
    try (Socket socket = new Socket("127.0.0.1", registry.server.port())) {
      OutputStream out = socket.getOutputStream();
      out.write(("PATCH " + location + " HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.write(new byte[40]);
      out.flush();
      socket.shutdownOutput();
      socket.getInputStream().readAllBytes();
    }
    String range = "";
    for (int i = 0; i < 50 && !range.equals("0-39"); i++) {
      Thread.sleep(100);
      range = registry.send("GET", location, null).headers().firstValue("Range").orElse("");
    }

    assertThat(range).isEqualTo("0-39");
  }

  @Test
  void doesStoreOneCopyWhenSameBlobIsPushedConcurrently() throws Exception {
    byte[] content = new byte[2 * 1024 * 1024];
    new java.util.Random(7).nextBytes(content);
    Digest digest = Digest.sha256(content);
    List<Future<Integer>> results = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 8; i++) {
        String name = "app" + (i % 2);
        results.add(pool.submit(() ->
            registry.send("POST", "/v2/" + name + "/blobs/uploads/?digest=" + digest, content)
                .statusCode()));
      }
    }

    for (Future<Integer> result : results) {
      assertThat(result.get()).isEqualTo(201);
    }
    assertThat(registry.getBytes("/v2/app0/blobs/" + digest).body()).isEqualTo(content);
    assertThat(registry.getBytes("/v2/app1/blobs/" + digest).body()).isEqualTo(content);
    assertThat(ingestFiles()).isZero();
  }

  @Test
  void doesUnlinkBlobWhenDeleted() throws Exception {
    Digest digest = registry.pushBlob("app", bytes("to delete"));

    HttpResponse<String> delete = registry.send("DELETE", "/v2/app/blobs/" + digest, null);

    assertThat(delete.statusCode()).isEqualTo(202);
    assertThat(registry.send("GET", "/v2/app/blobs/" + digest, null).statusCode()).isEqualTo(404);
  }

  @Test
  void doesAnswer405WhenDeletesAreDisabled() throws Exception {
    registry.close();
    registry = TestRegistry.start(RegistryConfig.defaults(root).withAddress("127.0.0.1", 0)
        .withDeletesEnabled(false));
    Digest digest = registry.pushBlob("app", bytes("kept"));

    HttpResponse<String> delete = registry.send("DELETE", "/v2/app/blobs/" + digest, null);

    assertThat(delete.statusCode()).isEqualTo(405);
    assertThat(TestRegistry.errorCode(delete)).isEqualTo("UNSUPPORTED");
    assertThat(registry.send("GET", "/v2/app/blobs/" + digest, null).statusCode()).isEqualTo(200);
  }

  @Test
  void doesKeepServingOthersWhileOneClientHangsMidUpload() throws Exception {
    String location = startUpload("app");
    try (Socket hung = new Socket("127.0.0.1", registry.server.port())) {
      OutputStream out = hung.getOutputStream();
      out.write(("PATCH " + location + " HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.write(new byte[10]);
      out.flush();
      long started = System.nanoTime();

      for (int i = 0; i < 5; i++) {
        registry.pushBlob("other", bytes("blob " + i));
      }
      registry.pushImage("app", "v1", "while-hung");
      HttpResponse<String> status = registry.send("GET", location, null);
      HttpResponse<String> concurrentChunk =
          registry.send("PATCH", location, bytes("x"), "Content-Range", "10-10");
      Duration elapsed = Duration.ofNanos(System.nanoTime() - started);

      // Well under the 60 s idle timeout that would end the hung request: nothing waited on it.
      assertThat(elapsed).as("work beside a hung upload").isLessThan(Duration.ofSeconds(45));
      assertThat(status.statusCode()).isEqualTo(204);
      assertThat(concurrentChunk.statusCode()).isEqualTo(416);
    }
  }
}
