package io.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.slipway.client.ClientSettings;
import io.slipway.client.RegistryClient;
import io.slipway.client.Repository;
import io.slipway.client.TransferListener;
import io.slipway.client.auth.CredentialSource;
import io.slipway.client.layout.OciLayout;
import io.slipway.diff.image.ImageLayouts;
import io.slipway.oci.Descriptor;
import io.slipway.oci.ImageConfig;
import io.slipway.registry.RegistryConfig;
import io.slipway.registry.RegistryServer;
import io.slipway.store.blob.FileBlobStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class HistoryCommandTest {
  private static final ImageConfig.RunConfig RUN = ImageConfig.RunConfig.EMPTY.withCmd(List.of("/bin/sh"));

  @TempDir Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private RegistryServer server;
  private String host;
  private Descriptor first;
  private Descriptor second;

  @BeforeEach
  void pushTwoVersionsAndDeleteTheTag() throws Exception {
    server = RegistryServer.start(RegistryConfig.defaults(dir.resolve("registry")).withAddress("127.0.0.1", 0));
    host = server.baseUri().getAuthority();
    ImageLayouts.write(dir.resolve("a"), "1", RUN, List.of(ImageLayouts.layer().file("app", "v1\n")));
    ImageLayouts.write(dir.resolve("b"), "1", RUN.withUser("app"),
        List.of(ImageLayouts.layer().file("app", "v2\n").file("extra", "x")));
    try (RegistryClient client = RegistryClient.create(ClientSettings.defaults(), CredentialSource.anonymous());
        FileBlobStore store = FileBlobStore.open(dir.resolve("store"))) {
      Repository repository = Repository.of(host, "web");
      first = OciLayout.read(dir.resolve("a"), "1", store);
      second = OciLayout.read(dir.resolve("b"), "1", store);
      client.push(store, first, repository, List.of("prod"), null, TransferListener.none());
      client.push(store, second, repository, List.of("prod"), null, TransferListener.none());
    }
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> deleted = http.send(
          HttpRequest.newBuilder(URI.create(server.baseUri() + "/v2/web/manifests/prod")).DELETE().build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(202);
    }
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  private int run(String... args) {
    out.reset();
    err.reset();
    CommandLine commandLine = new CommandLine(new HistoryCommand(
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)));
    commandLine.setCaseInsensitiveEnumValuesAllowed(true);
    return commandLine.execute(args);
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void listsCreateMoveAndDeleteInOrderWhenATagWasMovedAndDeleted() {
    assertThat(run(host + "/web:prod")).as(err.toString(StandardCharsets.UTF_8)).isZero();

    List<String> lines = stdout().lines().toList();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).contains("anonymous  create  " + first.digest());
    assertThat(lines.get(1)).contains("move  " + first.digest() + " → " + second.digest());
    assertThat(lines.get(2)).contains("delete  " + second.digest() + " → (deleted)");
  }

  @Test
  void showsTheMoveDiffAndReadsItFromTheCacheTheSecondTime() throws Exception {
    Path cache = dir.resolve("cache");
    assertThat(run("--diff", "--cache-dir", cache.toString(), host + "/web:prod")).isZero();
    assertThat(stdout())
        .contains("    + user: app")
        .contains("    files: 1 added, 0 removed, 1 modified")
        .contains("    M  app  content");
    Path cached;
    try (Stream<Path> files = Files.list(cache)) {
      cached = files.collect(java.util.stream.Collectors.toList()).getFirst();
    }
    assertThat(cached.getFileName().toString())
        .startsWith(first.digest().encoded() + "-" + second.digest().encoded());

    Files.writeString(cached, "from the cache\n");
    assertThat(run("--diff", "--cache-dir", cache.toString(), host + "/web:prod")).isZero();
    assertThat(stdout()).contains("    from the cache").doesNotContain("+ user: app");
  }

  @Test
  void writesTheEventsAsJsonWhenFormatIsJson() throws Exception {
    assertThat(run("--format=json", "--diff", "--cache-dir", dir.resolve("c").toString(), host + "/web:prod"))
        .isZero();

    JsonNode json = new ObjectMapper().readTree(stdout());
    assertThat(json.path("history")).hasSize(3);
    assertThat(json.path("history").get(1).path("action").asText()).isEqualTo("move");
    assertThat(json.path("history").get(1).path("diff").toString()).contains("+ user: app");
    assertThat(json.path("history").get(2).path("to").isNull()).isTrue();
  }

  @Test
  void notesAnUnavailableDiffAndListsTheRestWhenAMovedFromManifestWasDeleted() throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> deleted = http.send(
          HttpRequest.newBuilder(URI.create(server.baseUri() + "/v2/web/manifests/" + first.digest()))
              .DELETE().build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(202);
    }

    assertThat(run("--diff", "--cache-dir", dir.resolve("c").toString(), host + "/web:prod")).isZero();
    assertThat(stdout()).contains("    diff unavailable: " + host + "/web:prod@" + first.digest())
        .contains("MANIFEST_UNKNOWN");
    assertThat(stdout().lines()).hasSize(4);
  }

  @Test
  void exitsTwoNamingTheRepositoryWhenItIsUnknown() {
    assertThat(run(host + "/nope:prod")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("slipway history:").contains("nope");
  }
}
