package io.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.testing.IntegrationTest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code slipway serve} and {@code slipway registry serve} from the packaged jar as a user
 * does, then stops them with SIGTERM as Ctrl-C or an orchestrator would.
 */
@IntegrationTest
class ServeCommandTest {
  private static final Path JAR = Path.of("target", "slipway.jar").toAbsolutePath();
  private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+) ");

  @TempDir Path dir;

  private record Served(Process process, String baseUri, List<String> lines, Thread drainer) {}

  private Served start(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED", "-jar", JAR.toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).directory(dir.toFile())
        .redirectErrorStream(true).start();
    BufferedReader out = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    List<String> lines = new ArrayList<>();
    String line;
    while ((line = out.readLine()) != null) {
      lines.add(line);
      Matcher matcher = LISTENING.matcher(line);
      if (matcher.find()) {
        Thread drainer = Thread.ofPlatform().daemon().start(() -> drain(out, lines));
        return new Served(process, matcher.group(1), lines, drainer);
      }
    }
    throw new AssertionError("slipway exited before listening: " + lines);
  }

  private static void drain(BufferedReader out, List<String> lines) {
    try {
      String line;
      while ((line = out.readLine()) != null) {
        synchronized (lines) {
          lines.add(line);
        }
      }
    } catch (java.io.IOException e) {
      synchronized (lines) {
        lines.add("(reading the output failed: " + e + ")");
      }
    }
  }

  private static int stop(Served served) throws InterruptedException {
    // SIGTERM through the handle: Process.destroy() would also close our end of the output pipe,
    // losing what the process prints while it shuts down.
    served.process().toHandle().destroy();
    assertThat(served.process().waitFor(60, TimeUnit.SECONDS)).as("stopped within 60 s").isTrue();
    // Everything the process printed has been read once its output reaches end of stream.
    served.drainer().join(10_000);
    return served.process().exitValue();
  }

  @Test
  void doesServeUntilSigtermWhenStartedWithServe() throws Exception {
    Served served = start("serve", "--addr", "127.0.0.1:0");
    try (HttpClient client = HttpClient.newHttpClient()) {
      HttpResponse<String> version = client.send(
          HttpRequest.newBuilder(URI.create(served.baseUri() + "/v2/")).build(),
          HttpResponse.BodyHandlers.ofString());

      assertThat(version.statusCode()).isEqualTo(200);
    } finally {
      served.lines().add("(exit " + stop(served) + ")");
    }
    synchronized (served.lines()) {
      assertThat(String.join("\n", served.lines()))
          .contains("data in " + dir.resolve("slipway-data").toRealPath())
          .contains("method=GET path=\"/v2/\" status=200")
          .contains("registry stopped")
          // Issue 9: an orderly stop after SIGTERM exits 0.
          .contains("(exit 0)");
    }
    assertThat(dir.resolve("slipway-data/meta.db")).exists();
  }

  @Test
  void doesApplyConfigFileAndFlagOverridesWhenStartedWithRegistryServe() throws Exception {
    Files.writeString(dir.resolve("registry.yaml"), """
        http:
          addr: 127.0.0.1:1
        storage:
          filesystem:
            rootdirectory: from-config
          delete:
            enabled: false
        """);
    Served served = start("registry", "serve", "--config", "registry.yaml",
        "--addr", "127.0.0.1:0");
    try (HttpClient client = HttpClient.newHttpClient()) {
      HttpResponse<String> delete = client.send(
          HttpRequest.newBuilder(URI.create(served.baseUri() + "/v2/app/manifests/latest"))
              .DELETE().build(),
          HttpResponse.BodyHandlers.ofString());

      assertThat(delete.statusCode()).isEqualTo(405);
    } finally {
      stop(served);
    }
    assertThat(dir.resolve("from-config/meta.db")).exists();
  }
}
