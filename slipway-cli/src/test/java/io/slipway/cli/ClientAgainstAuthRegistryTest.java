package io.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.client.ClientException;
import io.slipway.client.ClientSettings;
import io.slipway.client.RegistryClient;
import io.slipway.client.Repository;
import io.slipway.client.TransferListener;
import io.slipway.client.auth.Credential;
import io.slipway.client.auth.CredentialSource;
import io.slipway.oci.Descriptor;
import io.slipway.oci.Digest;
import io.slipway.registry.RegistryConfig;
import io.slipway.registry.RegistryServer;
import io.slipway.registry.auth.AccessRule;
import io.slipway.registry.auth.Action;
import io.slipway.registry.auth.AuthConfig;
import io.slipway.registry.auth.HtpasswdFile;
import io.slipway.registry.auth.RegistryAuth;
import io.slipway.registry.auth.RepositoryGlob;
import io.slipway.store.blob.FileBlobStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slipway's own client (challenge parsing, token fetch, token cache) against Slipway's registry
 * with token auth on: the two halves of the docker token protocol meet here, the only module that
 * sees both.
 */
class ClientAgainstAuthRegistryTest {
  @TempDir Path dir;
  RegistryServer open;
  RegistryServer guarded;
  String openHost;
  String guardedHost;

  @BeforeEach
  void start() throws Exception {
    Path htpasswd = dir.resolve("htpasswd");
    HtpasswdFile.putUser(htpasswd, "alice", "alice-pass".toCharArray(), 4);
    HtpasswdFile.putUser(htpasswd, "reader", "reader-pass".toCharArray(), 4);
    List<AccessRule> rules = List.of(
        new AccessRule(Set.of("alice"), Set.of(), false, RepositoryGlob.of("team/**"), EnumSet.allOf(Action.class)),
        new AccessRule(Set.of("reader"), Set.of(), false, RepositoryGlob.of("team/**"), EnumSet.of(Action.PULL)));
    open = RegistryServer.start(RegistryConfig.defaults(dir.resolve("open")).withAddress("127.0.0.1", 0));
    guarded = RegistryServer.start(
        RegistryConfig.defaults(dir.resolve("guarded")).withAddress("127.0.0.1", 0),
        RegistryAuth.open(AuthConfig.builtIn(htpasswd, dir.resolve("key.pem"), rules, Map.of()),
            Clock.systemUTC()));
    openHost = "127.0.0.1:" + open.port();
    guardedHost = "127.0.0.1:" + guarded.port();
    pushImage(open, "app", "v1");
  }

  @AfterEach
  void stop() throws Exception {
    open.close();
    guarded.close();
  }

  @Test
  void doesCopyAndPullWhenCredentialsAllowIt() throws Exception {
    try (RegistryClient alice = client("alice", "alice-pass");
        RegistryClient reader = client("reader", "reader-pass");
        FileBlobStore store = FileBlobStore.open(dir.resolve("store"));
        FileBlobStore pulled = FileBlobStore.open(dir.resolve("pulled"))) {
      Descriptor root = alice.copy(Repository.of(openHost, "app"), "v1",
          Repository.of(guardedHost, "team/app"), List.of("v1"), store, null, TransferListener.none());

      Descriptor back = reader.pull(Repository.of(guardedHost, "team/app"), "v1", pulled, null,
          TransferListener.none());

      assertThat(back.digest()).isEqualTo(root.digest());
      assertThat(reader.tags(Repository.of(guardedHost, "team/app"))).containsExactly("v1");
    }
  }

  @Test
  void doesRefusePushWhenUserMayOnlyPull() throws Exception {
    try (RegistryClient reader = client("reader", "reader-pass");
        FileBlobStore store = FileBlobStore.open(dir.resolve("store"))) {
      assertThatThrownBy(() -> reader.copy(Repository.of(openHost, "app"), "v1",
              Repository.of(guardedHost, "team/app"), List.of("v1"), store, null,
              TransferListener.none()))
          .isInstanceOf(ClientException.class)
          .hasMessageContaining("401");
    }
  }

  private RegistryClient client(String user, String password) throws java.io.IOException {
    CredentialSource credentials = registry -> registry.equals(guardedHost)
        ? new Credential.UsernamePassword(user, password) : new Credential.Anonymous();
    return RegistryClient.create(
        ClientSettings.defaults().withInsecure(Set.of(openHost, guardedHost)), credentials);
  }

  private static void pushImage(RegistryServer server, String name, String tag) throws Exception {
    byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}"
        .getBytes(StandardCharsets.UTF_8);
    byte[] layer = "not really a tar".getBytes(StandardCharsets.UTF_8);
    HttpClient http = HttpClient.newHttpClient();
    for (byte[] blob : List.of(config, layer)) {
      send(http, server, "POST", "/v2/" + name + "/blobs/uploads/?digest=" + Digest.sha256(blob), blob, 201);
    }
    String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
        + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
        + Digest.sha256(config) + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":"
        + "\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"" + Digest.sha256(layer)
        + "\",\"size\":" + layer.length + "}]}";
    send(http, server, "PUT", "/v2/" + name + "/manifests/" + tag,
        manifest.getBytes(StandardCharsets.UTF_8), 201);
  }

  private static void send(HttpClient http, RegistryServer server, String method, String path,
      byte[] body, int expected) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUri() + path))
        .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
    if (method.equals("PUT")) {
      request.header("Content-Type", "application/vnd.oci.image.manifest.v1+json");
    }
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(expected);
  }
}
