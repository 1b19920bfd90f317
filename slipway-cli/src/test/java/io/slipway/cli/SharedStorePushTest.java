package io.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.slipway.client.ClientSettings;
import io.slipway.client.RegistryClient;
import io.slipway.client.Repository;
import io.slipway.client.TransferListener;
import io.slipway.client.auth.CredentialSource;
import io.slipway.oci.Descriptor;
import io.slipway.oci.Digest;
import io.slipway.oci.reference.Reference;
import io.slipway.registry.RegistryConfig;
import io.slipway.registry.RegistryServer;
import io.slipway.store.blob.FileBlobStore;
import io.slipway.testing.IntegrationTest;
import io.slipway.testing.RequiresTool;
import io.slipway.testing.images.TestImages;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code slipway build --push} to a Slipway registry on the builder's own root links the layers
 * instead of sending them, and the image is then complete for any other client.
 */
@IntegrationTest
@RequiresTool(value = "busybox", debianPackage = "busybox-static")
class SharedStorePushTest {

  @TempDir Path dir;

  private record Result(int exitCode, String out, String err) {}

  private static Result slipway(String... args) {
    CommandLine commandLine = SlipwayCommand.newCommandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    commandLine.setOut(new PrintWriter(out));
    commandLine.setErr(new PrintWriter(err));
    int code = commandLine.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  private Result buildAndPush(Path state, int port) throws IOException {
    Path layout = dir.resolve("layout");
    if (!Files.exists(layout)) {
      TestImages.busybox(layout);
    }
    Path context = Files.createDirectories(dir.resolve("context"));
    Files.write(context.resolve("payload.bin"), new byte[256 * 1024]);
    Files.writeString(context.resolve("Dockerfile"),
        "FROM busybox\nCOPY payload.bin /srv/\nCMD [\"ls\", \"/srv\"]\n");
    return slipway("build", "--root", state.toString(), "--progress=plain",
        "--build-context", "busybox=oci-layout://" + TestImages.busybox(layout).layout(),
        "-t", "127.0.0.1:" + port + "/demo/app:1", "--push", context.toString());
  }

  @Test
  void pushesNoBlobBytesToARegistryOnTheSameStoreAndTheImagePullsWhole() throws Exception {
    Path state = dir.resolve("state");
    long shared;
    long separate;
    String sharedErr;
    try (RegistryServer registry = RegistryServer.start(
            RegistryConfig.defaults(state).withAddress("127.0.0.1", 0));
        ByteCountingProxy proxy = new ByteCountingProxy(registry.port())) {
      Result pushed = buildAndPush(state, proxy.port());
      assertThat(pushed.exitCode()).as(pushed.err()).isZero();
      shared = proxy.upstreamBytes();
      sharedErr = pushed.err();

      // Another client, with its own store, pulls every blob (verified against its digest).
      try (FileBlobStore other = FileBlobStore.open(dir.resolve("other"));
          RegistryClient client = RegistryClient.create(ClientSettings.defaults(),
              CredentialSource.anonymous())) {
        Repository repository =
            Repository.of(Reference.parse("127.0.0.1:" + registry.port() + "/demo/app:1"));
        Descriptor root = client.pull(repository, "1", other, null, TransferListener.none());
        JsonNode manifest;
        try (InputStream in = other.openVerified(root.digest())) {
          manifest = new ObjectMapper().readTree(in);
        }
        List<Digest> blobs = new ArrayList<>();
        blobs.add(Digest.parse(manifest.get("config").get("digest").asText()));
        manifest.get("layers").forEach(l -> blobs.add(Digest.parse(l.get("digest").asText())));
        assertThat(blobs).hasSizeGreaterThanOrEqualTo(3);
        for (Digest blob : blobs) {
          try (InputStream in = other.openVerified(blob)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
          }
        }
      }
      assertThat(sharedErr).contains("link sha256:").doesNotContain("push sha256:");
      refusesAForgedStoreProof(registry.port());
    }
    // The same image to a registry with its own store: the bytes do move, through the same relay.
    try (RegistryServer registry = RegistryServer.start(
            RegistryConfig.defaults(dir.resolve("elsewhere")).withAddress("127.0.0.1", 0));
        ByteCountingProxy proxy = new ByteCountingProxy(registry.port())) {
      Result pushed = buildAndPush(state, proxy.port());
      assertThat(pushed.exitCode()).as(pushed.err()).isZero();
      separate = proxy.upstreamBytes();
    }
    // Requests, headers and the manifest only: far below the 256 KiB layer alone.
    assertThat(shared).as("bytes sent to the co-located registry").isLessThan(32 * 1024);
    assertThat(separate).as("bytes sent to a registry with its own store")
        .isGreaterThan(256 * 1024);
  }

  /** A session closed with a proof not made from the store's key links nothing and stays open. */
  private static void refusesAForgedStoreProof(int port) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String base = "http://127.0.0.1:" + port + "/v2/";
    HttpResponse<Void> started = http.send(HttpRequest.newBuilder(
            URI.create(base + "forged/blobs/uploads/"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
    assertThat(started.statusCode()).isEqualTo(202);
    assertThat(started.headers().firstValue("Slipway-Store")).isPresent();
    String location = started.headers().firstValue("Location").orElseThrow();
    // A blob the store holds (the image's manifest is there) but "forged" never received.
    HttpResponse<String> catalog = http.send(HttpRequest.newBuilder(
        URI.create(base + "demo/app/manifests/1")).header("Accept",
        "application/vnd.oci.image.manifest.v1+json").build(),
        HttpResponse.BodyHandlers.ofString());
    Digest known = Digest.parse(catalog.headers().firstValue("Docker-Content-Digest").orElseThrow());
    HttpResponse<String> forged = http.send(HttpRequest.newBuilder(URI.create(
            "http://127.0.0.1:" + port + location + (location.contains("?") ? "&" : "?")
                + "digest=" + known + "&store-proof=" + "00".repeat(32)))
        .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(forged.body()).contains("DENIED");
    HttpResponse<Void> head = http.send(HttpRequest.newBuilder(
            URI.create(base + "forged/blobs/" + known)).method("HEAD",
            HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.discarding());
    assertThat(head.statusCode()).isEqualTo(404);
    HttpResponse<Void> status = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + location)).GET().build(),
        HttpResponse.BodyHandlers.discarding());
    assertThat(status.statusCode()).as("the session stays open").isEqualTo(204);
  }
}
