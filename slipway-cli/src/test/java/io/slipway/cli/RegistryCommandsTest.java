package io.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.oci.Descriptor;
import io.slipway.oci.Digest;
import io.slipway.oci.ImageManifest;
import io.slipway.oci.ManifestBytes;
import io.slipway.oci.MediaTypes;
import io.slipway.testing.IntegrationTest;
import io.slipway.testing.RequiresTool;
import io.slipway.testing.peers.DistributionRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry commands end to end against Debian's docker-registry, checked with skopeo. */
@IntegrationTest
@RequiresTool(value = {"docker-registry", "skopeo"}, debianPackage = "docker-registry skopeo")
class RegistryCommandsTest {
  @TempDir Path dir;

  private DistributionRegistry registry;
  private ManifestBytes manifest;
  private Path layout;

  /** Exit code and standard output of one command. */

  @BeforeEach
  void start() throws Exception {
    registry = DistributionRegistry.start();
    layout = dir.resolve("layout");
    byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}"
        .getBytes(StandardCharsets.UTF_8);
    byte[] layer = new byte[100_000];
    new java.util.Random(7).nextBytes(layer);
    manifest = ManifestBytes.serialize(ImageManifest.of(Descriptor.of(MediaTypes.OCI_CONFIG, config),
        List.of(Descriptor.of(MediaTypes.OCI_LAYER_GZIP, layer))));
    for (byte[] blob : List.of(config, layer, manifest.bytes())) {
      Path file = layout.resolve("blobs/sha256").resolve(Digest.sha256(blob).encoded());
      Files.createDirectories(file.getParent());
      Files.write(file, blob);
    }
    Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    Files.writeString(layout.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{"
        + "\"mediaType\":\"" + manifest.mediaType() + "\",\"digest\":\"" + manifest.digest()
        + "\",\"size\":" + manifest.size()
        + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"v1\"}}]}");
  }

  @AfterEach
  void stop() throws IOException {
    registry.close();
  }

  private CliRun slipway(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--root", dir.resolve("root").toString(),
        "--config", dir.resolve("docker").toString()));
    return CliRun.of(all.toArray(String[]::new));
  }

  private static String run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    return output;
  }

  @Test
  void doesPushInspectCopyAndPullWhenGivenALayout() throws Exception {
    String ref = registry.host() + "/team/app:v1";
    CliRun push = slipway("push", "oci-layout:" + layout + ":v1", ref);
    assertThat(push.exitCode()).as(push.err()).isZero();
    assertThat(push.out().strip()).isEqualTo(manifest.digest().toString());

    assertThat(slipway("digest", ref).out().strip()).isEqualTo(manifest.digest().toString());
    assertThat(slipway("tags", registry.host() + "/team/app").out().strip()).isEqualTo("v1");
    assertThat(slipway("inspect", "--raw", ref).out().getBytes(StandardCharsets.UTF_8))
        .isEqualTo(manifest.bytes());
    assertThat(slipway("inspect", ref).out()).contains("\"architecture\" : \"amd64\"");

    CliRun copy = slipway("copy", ref, registry.host() + "/other/app:v2");
    assertThat(copy.exitCode()).as(copy.err()).isZero();
    assertThat(run("skopeo", "inspect", "--raw", "--tls-verify=false",
        "docker://" + registry.host() + "/other/app:v2").getBytes(StandardCharsets.UTF_8))
        .isEqualTo(manifest.bytes());

    Path pulled = dir.resolve("pulled");
    assertThat(slipway("pull", ref, "--output", "oci-layout:" + pulled).exitCode()).isZero();
    assertThat(run("skopeo", "inspect", "oci:" + pulled + ":v1")).contains(manifest.digest().toString());

    Path archive = dir.resolve("image.tar");
    assertThat(slipway("pull", ref, "--output", "tar:" + archive).exitCode()).isZero();
    assertThat(run("skopeo", "inspect", "oci-archive:" + archive)).contains(manifest.digest().toString());
    CliRun fromTar = slipway("push", "tar:" + archive, registry.host() + "/from-tar:v1");
    assertThat(fromTar.exitCode()).as(fromTar.err()).isZero();
  }

  @Test
  void doesFailWithOneLineNamingTheProblemWhenImageIsMissing() {
    CliRun missing = slipway("digest", registry.host() + "/nothing:here");
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err()).contains("slipway digest:").contains("HTTP 404")
        .contains("/v2/nothing/manifests/here");
  }

  @Test
  void doesWriteAndRemoveDockerConfigWhenLoggingInAndOut() throws Exception {
    CliRun login = slipway("login", registry.host(), "-u", "alice", "-p", "secret");
    assertThat(login.exitCode()).as(login.err()).isZero();
    String config = Files.readString(dir.resolve("docker/config.json"));
    assertThat(config).contains(registry.host()).contains("YWxpY2U6c2VjcmV0");
    assertThat(Files.getPosixFilePermissions(dir.resolve("docker/config.json")))
        .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    assertThat(slipway("logout", registry.host()).exitCode()).isZero();
    assertThat(Files.readString(dir.resolve("docker/config.json"))).doesNotContain(registry.host());
  }
}
