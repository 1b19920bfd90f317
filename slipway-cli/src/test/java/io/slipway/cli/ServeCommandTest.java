package io.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.testing.ChildJvm;
import io.slipway.testing.IntegrationTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;
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

  private record Served(ChildJvm child, String baseUri) {}

  private Served start(String... args) throws Exception {
    ChildJvm child = ChildJvm.ofJar(JAR).directory(dir).args(args).start(dir.resolve("serve.log"));
    try {
      return new Served(child, child.awaitMatch(LISTENING, Duration.ofSeconds(60)).group(1));
    } catch (AssertionError | Exception e) {
      child.close();
      throw e;
    }
  }

  /** Stops the server with SIGTERM and returns its output followed by {@code (exit N)}. */
  private static String stop(Served served) throws Exception {
    try (ChildJvm child = served.child()) {
      child.signal("TERM");
      OptionalInt exit = child.exitWithin(Duration.ofSeconds(60));
      assertThat(exit).as("stopped within 60 s").isPresent();
      // Everything the process printed is in the log once it has exited.
      return child.output() + "(exit " + exit.getAsInt() + ")";
    }
  }

  @Test
  void doesServeUntilSigtermWhenStartedWithServe() throws Exception {
    Served served = start("serve", "--addr", "127.0.0.1:0");
    String output;
    try (HttpClient client = HttpClient.newHttpClient()) {
      HttpResponse<String> version = client.send(
          HttpRequest.newBuilder(URI.create(served.baseUri() + "/v2/")).build(),
          HttpResponse.BodyHandlers.ofString());

      assertThat(version.statusCode()).isEqualTo(200);
    } finally {
      output = stop(served);
    }
    assertThat(output)
        .contains("data in " + dir.resolve("slipway-data").toRealPath())
        .contains("method=GET path=\"/v2/\" status=200")
        .contains("registry stopped")
        // Issue 9: an orderly stop after SIGTERM exits 0.
        .contains("(exit 0)");
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
