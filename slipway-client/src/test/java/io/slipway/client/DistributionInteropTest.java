package io.slipway.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.slipway.client.auth.CredentialSource;
import io.slipway.client.layout.OciLayout;
import io.slipway.client.testing.ProcessRunner;
import io.slipway.client.testing.TestContent;
import io.slipway.client.testing.TestContent.Image;
import io.slipway.oci.Descriptor;
import io.slipway.oci.ManifestBytes;
import io.slipway.store.blob.BlobStore;
import io.slipway.store.blob.FileBlobStore;
import io.slipway.testing.IntegrationTest;
import io.slipway.testing.images.TestImage;
import io.slipway.testing.images.TestImages;
import io.slipway.testing.RequiresTool;
import io.slipway.testing.peers.DistributionRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Round trips against real peers: Debian's docker-registry as the registry, skopeo and umoci as
 * independent readers and writers of what the client produces.
 */
@IntegrationTest
@RequiresTool(value = {"docker-registry", "skopeo", "umoci", "busybox"},
    debianPackage = "docker-registry skopeo umoci busybox-static")
class DistributionInteropTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private DistributionRegistry registry;
  private RegistryClient client;
  private BlobStore store;
  private Image busybox;

  @BeforeEach
  void start() throws Exception {
    registry = DistributionRegistry.start();
    client = RegistryClient.create(ClientSettings.defaults(), CredentialSource.anonymous());
    store = FileBlobStore.open(dir.resolve("store"));
    busybox = fromLayout(TestImages.busybox(dir.resolve("busybox")));
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    store.close();
    registry.close();
  }

  /** Imports a TestImages layout into the store and describes it as a TestContent image. */
  private Image fromLayout(TestImage image) throws Exception {
    Descriptor root = OciLayout.read(image.layout(), image.tag(), store);
    ManifestBytes manifest = client.readManifest(store, root);
    return new Image(manifest, List.of());
  }

  private Repository repo(String name) {
    return Repository.of(registry.host(), name);
  }

  private String skopeo(String... args) throws Exception {
    String[] command = new String[args.length + 1];
    command[0] = "skopeo";
    System.arraycopy(args, 0, command, 1, args.length);
    return ProcessRunner.run(dir, command);
  }

  @Test
  void doesRoundTripWithDistributionWhenSkopeoCopiesInBetween() throws Exception {
    client.push(store, busybox.manifest().descriptor(), repo("library/busybox"), List.of("v1"),
        null, TransferListener.none());
    JsonNode inspected = JSON.readTree(skopeo("inspect", "--tls-verify=false",
        "docker://" + registry.host() + "/library/busybox:v1"));
    assertThat(inspected.path("Digest").asText()).isEqualTo(busybox.manifest().digest().toString());

    skopeo("copy", "--src-tls-verify=false", "--dest-tls-verify=false", "--preserve-digests",
        "docker://" + registry.host() + "/library/busybox:v1",
        "docker://" + registry.host() + "/copied/busybox:v2");
    try (BlobStore other = FileBlobStore.open(dir.resolve("other"))) {
      Descriptor pulled = client.pull(repo("copied/busybox"), "v2", other, null,
          TransferListener.none());
      assertThat(pulled.digest()).isEqualTo(busybox.manifest().digest());
      assertThat(other.exists(busybox.manifest().imageManifest().layers().getFirst().digest()))
          .isTrue();
    }
    assertThat(client.tags(repo("copied/busybox"))).containsExactly("v2");
  }

  @Test
  void doesWriteOciLayoutThatUmociAndSkopeoRead() throws Exception {
    client.push(store, busybox.manifest().descriptor(), repo("busybox"), List.of("latest"), null,
        TransferListener.none());
    Path layout = dir.resolve("layout");
    try (BlobStore fresh = FileBlobStore.open(dir.resolve("fresh"))) {
      Descriptor root = client.pull(repo("busybox"), "latest", fresh, null, TransferListener.none());
      OciLayout.write(fresh, root, "latest", layout, 4 << 20);
    }
    assertThat(ProcessRunner.run(dir, "umoci", "ls", "--layout", layout.toString()))
        .contains("latest");
    assertThat(ProcessRunner.run(dir, "umoci", "stat", "--image", layout + ":latest"))
        .contains("LAYER");
    JsonNode inspected = JSON.readTree(skopeo("inspect", "oci:" + layout + ":latest"));
    assertThat(inspected.path("Digest").asText()).isEqualTo(busybox.manifest().digest().toString());
  }

  @Test
  void doesPushOciLayoutWrittenBySkopeo() throws Exception {
    client.push(store, busybox.manifest().descriptor(), repo("src"), List.of("v1"), null,
        TransferListener.none());
    Path layout = dir.resolve("skopeo-layout");
    skopeo("copy", "--src-tls-verify=false", "--preserve-digests",
        "docker://" + registry.host() + "/src:v1", "oci:" + layout + ":v1");
    try (BlobStore fresh = FileBlobStore.open(dir.resolve("from-layout"))) {
      Descriptor root = OciLayout.read(layout, "v1", fresh);
      client.push(fresh, root, repo("from-layout"), List.of("v1"), null, TransferListener.none());
    }
    assertThat(client.resolve(repo("from-layout"), "v1").digest())
        .isEqualTo(busybox.manifest().digest());
  }

  @Test
  void doesCopyIndexWithEveryPlatformWhenCopyingBetweenRepositories() throws Exception {
    TestImage multi = TestImages.busyboxIndex(dir.resolve("multi-layout"));
    Descriptor indexRoot = OciLayout.read(multi.layout(), multi.tag(), store);
    ManifestBytes index = client.readManifest(store, indexRoot);
    Descriptor armEntry = index.index().manifests().stream()
        .filter(d -> d.platform().architecture().equals("arm64")).findFirst().orElseThrow();
    Image arm = new Image(client.readManifest(store, armEntry), List.of());
    client.push(store, index.descriptor(), repo("multi"), List.of("v1"), null,
        TransferListener.none());

    try (BlobStore through = FileBlobStore.open(dir.resolve("through"))) {
      client.copy(repo("multi"), "v1", repo("multi-copy"), List.of("v1"), through, null,
          TransferListener.none());
    }
    String raw = skopeo("inspect", "--raw", "--tls-verify=false",
        "docker://" + registry.host() + "/multi-copy:v1");
    assertThat(raw.getBytes(StandardCharsets.UTF_8)).isEqualTo(index.bytes());
    JsonNode armInspect = JSON.readTree(skopeo("inspect", "--tls-verify=false",
        "--override-arch", "arm64", "docker://" + registry.host() + "/multi-copy:v1"));
    assertThat(armInspect.path("Architecture").asText()).isEqualTo("arm64");
    assertThat(client.resolve(repo("multi-copy"), arm.manifest().digest().toString()))
        .isEqualTo(arm.manifest().descriptor());
  }
}
