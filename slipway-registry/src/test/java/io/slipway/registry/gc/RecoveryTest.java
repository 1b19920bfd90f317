package io.slipway.registry.gc;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.registry.RegistryConfig;
import io.slipway.registry.RegistryServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecoveryTest {
  @TempDir Path root;

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private RegistryServer start() throws Exception {
    return RegistryServer.start(RegistryConfig.defaults(root).withAddress("127.0.0.1", 0));
  }

  @Test
  void doesSetCorruptDatabaseAsideAndReindexManifestsWhenStarting() throws Exception {
    Pusher.Image image = Pusher.image("salvage", List.of(bytes("salvaged layer")));
    try (RegistryServer server = start(); Pusher pusher = new Pusher(server.baseUri())) {
      pusher.push("team/app", "v1", image);
    }
    Files.write(root.resolve("meta.db"), bytes("this is not a SQLite database, not at all.."));

    try (RegistryServer server = start(); Pusher pusher = new Pusher(server.baseUri())) {
      assertThat(pusher.pullProblems("recovered", image.digest().toString(), image))
          .as("the manifest is re-indexed by digest into 'recovered'")
          .isEmpty();
      assertThat(pusher.send("GET", "/v2/team/app/manifests/v1", null).statusCode())
          .as("tags cannot be recovered from content")
          .isEqualTo(404);
    }
    try (var files = Files.list(root)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .anyMatch(name -> name.matches("meta\\.db\\.corrupt-\\d{8}T\\d{6}Z"));
    }
  }

  @Test
  void doesDropLinkToMissingBlobButKeepManifestWhenStarting() throws Exception {
    Pusher.Image image = Pusher.image("missing", List.of(bytes("vanishing layer")));
    try (RegistryServer server = start(); Pusher pusher = new Pusher(server.baseUri())) {
      pusher.push("app", "v1", image);
    }
    Path layer =
        root.resolve("blobs/sha256")
            .resolve(io.slipway.oci.Digest.sha256(bytes("vanishing layer")).encoded()
                .substring(0, 2))
            .resolve(io.slipway.oci.Digest.sha256(bytes("vanishing layer")).encoded());
    Files.delete(layer);

    try (RegistryServer server = start(); Pusher pusher = new Pusher(server.baseUri())) {
      String digest = io.slipway.oci.Digest.sha256(bytes("vanishing layer")).toString();
      assertThat(pusher.send("HEAD", "/v2/app/blobs/" + digest, null).statusCode())
          .as("HEAD says missing, so a client pushes the layer again")
          .isEqualTo(404);
      assertThat(pusher.send("GET", "/v2/app/manifests/v1", null).statusCode())
          .as("the manifest is reported, never deleted")
          .isEqualTo(200);
      pusher.push("app", "v1", image);
      assertThat(pusher.pullProblems("app", "v1", image)).isEmpty();
    }
  }

  @Test
  void doesDeleteUploadDataWithoutSessionWhenStarting() throws Exception {
    try (RegistryServer server = start()) {
      assertThat(server).isNotNull();
    }
    Path stray = root.resolve("ingest/uploads/0123456789abcdef0123456789abcdef.sha256");
    Files.write(stray, bytes("half an upload"));
    Files.setLastModifiedTime(
        stray, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));

    try (RegistryServer server = start()) {
      assertThat(server).isNotNull();
    }

    assertThat(stray).doesNotExist();
  }
}
