package io.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.registry.gc.RegistryContentIndex;
import io.slipway.store.blob.FileBlobStore;
import io.slipway.store.fsck.Fsck;
import io.slipway.store.fsck.FsckReport;
import io.slipway.store.sql.SqliteDatabase;
import io.slipway.testing.ChildJvm;
import io.slipway.testing.IntegrationTest;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code slipway serve} in a child JVM with an upload in flight (a PATCH whose body stalls):
 * SIGTERM starts the drain, and either a second signal exits at once (status 1) or the shutdown
 * timeout cancels the upload (status 0, the log says what was drained and cancelled). Either way
 * the root then passes fsck.
 */
@IntegrationTest
class ServeSignalsTest {
  private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+) ");

  @TempDir Path dir;

  private record Served(ChildJvm child, URI baseUri) {}

  private Served serve(String shutdownTimeout) throws Exception {
    ChildJvm child = ChildJvm.start(dir.resolve("serve.log"), List.of("-Xmx256m"), Main.class,
        "serve", "--addr", "127.0.0.1:0", "--root", dir.resolve("root").toString(),
        "--shutdown-timeout", shutdownTimeout);
    String output = child.awaitOutput("listening on", Duration.ofSeconds(60));
    Matcher matcher = LISTENING.matcher(output);
    assertThat(matcher.find()).as(output).isTrue();
    return new Served(child, URI.create(matcher.group(1)));
  }

  /** Starts a chunked upload and leaves its PATCH in flight, half sent; returns its stream. */
  private static OutputStream uploadInFlight(HttpClient http, URI base) throws Exception {
    HttpResponse<Void> start = http.send(
        HttpRequest.newBuilder(base.resolve("/v2/signals/app/blobs/uploads/"))
            .POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.discarding());
    assertThat(start.statusCode()).isEqualTo(202);
    URI location = base.resolve(start.headers().firstValue("Location").orElseThrow());
    PipedInputStream body = new PipedInputStream(1 << 16);
    PipedOutputStream sender = new PipedOutputStream(body);
    CompletableFuture<HttpResponse<Void>> patch = http.sendAsync(
        HttpRequest.newBuilder(location)
            .header("Content-Type", "application/octet-stream")
            .method("PATCH", HttpRequest.BodyPublishers.ofInputStream(() -> body)).build(),
        HttpResponse.BodyHandlers.discarding());
    sender.write(new byte[32 * 1024]);
    sender.flush();
    // A byte every 100 ms: the upload never trips the server's idle timeout, so only the
    // signals and the shutdown timeout decide how it ends.
    Thread.ofVirtual().start(() -> {
      try {
        while (!patch.isDone()) {
          sender.write(0);
          sender.flush();
          Thread.sleep(100);
        }
      } catch (IOException | InterruptedException stopped) {
        // The server went away, or the test closed the stream.
      }
    });
    assertThat(patch).as("the PATCH must still be in flight").isNotDone();
    return sender;
  }

  private FsckReport fsck() throws Exception {
    Path root = dir.resolve("root");
    try (FileBlobStore store = FileBlobStore.open(root);
        SqliteDatabase database = SqliteDatabase.open(root.resolve("meta.db"), List.of())) {
      return new Fsck(store, database, List.of(new RegistryContentIndex(store)))
          .run(Fsck.Options.checkOnly(), progress -> {});
    }
  }

  @Test
  void doesExitAtOnceAndStayConsistentWhenSignalledTwiceDuringDrain() throws Exception {
    Served served = serve("5m");
    HttpClient http = HttpClient.newHttpClient();
    try {
      OutputStream upload = uploadInFlight(http, served.baseUri());
      Thread.sleep(500);
      served.child().signal("TERM");
      served.child().awaitOutput("stopping registry (draining", Duration.ofSeconds(30));
      Thread.sleep(500);
      assertThat(served.child().isAlive())
          .as("draining the stalled upload (timeout 5m):\n%s", served.child().output()).isTrue();

      long sent = System.nanoTime();
      served.child().signal("INT");
      OptionalInt exit = served.child().exitWithin(Duration.ofSeconds(10));
      long millis = (System.nanoTime() - sent) / 1_000_000;
      assertThat(exit).as("exit after the second signal:\n%s", served.child().output())
          .hasValue(1);
      assertThat(served.child().output()).contains("second signal: exiting now");
      System.out.println("ServeSignalsTest: second signal to exit in " + millis + " ms");
      closeQuietly(upload);
    } finally {
      served.child().close();
      // close() would wait for the stalled PATCH, which only the dead server could finish.
      http.shutdownNow();
    }
    FsckReport report = fsck();
    assertThat(report.findings()).as("fsck after the second signal").isEmpty();
  }

  @Test
  void doesCancelStalledUploadAndSayWhenShutdownTimeoutPasses() throws Exception {
    Served served = serve("1s");
    HttpClient http = HttpClient.newHttpClient();
    try {
      OutputStream upload = uploadInFlight(http, served.baseUri());
      Thread.sleep(500);
      served.child().signal("TERM");
      OptionalInt exit = served.child().exitWithin(Duration.ofSeconds(60));
      assertThat(exit).as("exit after one signal:\n%s", served.child().output()).hasValue(0);
      assertThat(served.child().output())
          .containsPattern("shutdown: \\d+ requests drained, 1 cancelled")
          .contains("registry stopped");
      closeQuietly(upload);
    } finally {
      served.child().close();
      // close() would wait for the stalled PATCH, which only the dead server could finish.
      http.shutdownNow();
    }
    assertThat(fsck().findings()).as("fsck after the cancelled drain").isEmpty();
  }

  private static void closeQuietly(OutputStream stream) {
    try {
      stream.close();
    } catch (IOException e) {
      // The server is gone; the pipe's reader may be too.
    }
  }
}
