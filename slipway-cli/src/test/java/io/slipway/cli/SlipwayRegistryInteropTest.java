package io.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.registry.RegistryConfig;
import io.slipway.registry.RegistryServer;
import io.slipway.testing.IntegrationTest;
import io.slipway.testing.RequiresTool;
import io.slipway.testing.images.TestImage;
import io.slipway.testing.images.TestImages;
import io.slipway.testing.peers.DistributionRegistry;
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

/**
 * Copies images and indexes between the Slipway registry and Debian's docker-registry in both
 * directions with the slipway commands, checking each hop byte for byte with skopeo and umoci.
 */
@IntegrationTest
@RequiresTool(value = {"docker-registry", "skopeo", "umoci", "busybox"},
    debianPackage = "docker-registry skopeo umoci busybox-static")
class SlipwayRegistryInteropTest {
  @TempDir Path dir;

  private RegistryServer slipwayRegistry;
  private DistributionRegistry distribution;
  private String slipwayHost;


  @BeforeEach
  void start() throws Exception {
    slipwayRegistry = RegistryServer.start(
        RegistryConfig.defaults(dir.resolve("slipway-registry")).withAddress("127.0.0.1", 0));
    slipwayHost = "127.0.0.1:" + slipwayRegistry.port();
    distribution = DistributionRegistry.start();
  }

  @AfterEach
  void stop() throws Exception {
    slipwayRegistry.close();
    distribution.close();
  }

  private CliRun slipway(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--root", dir.resolve("client-root").toString(),
        "--config", dir.resolve("docker").toString()));
    return CliRun.of(all.toArray(String[]::new));
  }

  private String tool(String... command) throws Exception {
    Path log = Files.createTempFile(dir, "tool", ".log");
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
    String output = Files.readString(log);
    assertThat(process.exitValue()).as(output).isZero();
    return output;
  }

  private byte[] rawManifest(String host, String repository) throws Exception {
    return tool("skopeo", "inspect", "--raw", "--tls-verify=false",
        "docker://" + host + "/" + repository).getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void doesCopyImageFromSlipwayToDistributionAndBack() throws Exception {
    TestImage image = TestImages.busybox(dir.resolve("busybox"));
    CliRun push = slipway("push", "oci-layout:" + image.layout() + ":" + image.tag(),
        slipwayHost + "/library/busybox:1");
    assertThat(push.exitCode()).as(push.err()).isZero();
    assertThat(push.out().strip()).isEqualTo(image.digest());

    CliRun there = slipway("copy", slipwayHost + "/library/busybox:1",
        distribution.host() + "/mirror/busybox:1");
    assertThat(there.exitCode()).as(there.err()).isZero();
    byte[] original = Files.readAllBytes(image.blobPath(image.digest()));
    assertThat(rawManifest(distribution.host(), "mirror/busybox:1")).isEqualTo(original);

    CliRun back = slipway("copy", distribution.host() + "/mirror/busybox:1",
        slipwayHost + "/returned/busybox:2");
    assertThat(back.exitCode()).as(back.err()).isZero();
    assertThat(rawManifest(slipwayHost, "returned/busybox:2")).isEqualTo(original);

    Path pulled = dir.resolve("pulled");
    CliRun pull = slipway("pull", slipwayHost + "/returned/busybox:2", "--output",
        "oci-layout:" + pulled + ":2");
    assertThat(pull.exitCode()).as(pull.err()).isZero();
    assertThat(tool("umoci", "stat", "--image", pulled + ":2")).contains("LAYER");
  }

  @Test
  void doesCopyIndexWithEveryPlatformBetweenBothRegistries() throws Exception {
    TestImage index = TestImages.busyboxIndex(dir.resolve("multi"));
    CliRun push = slipway("push", "oci-layout:" + index.layout() + ":" + index.tag(),
        distribution.host() + "/multi:1");
    assertThat(push.exitCode()).as(push.err()).isZero();

    CliRun copy = slipway("copy", distribution.host() + "/multi:1", slipwayHost + "/multi:1");
    assertThat(copy.exitCode()).as(copy.err()).isZero();
    byte[] original = Files.readAllBytes(index.blobPath(index.digest()));
    assertThat(rawManifest(slipwayHost, "multi:1")).isEqualTo(original);
    for (String manifest : index.manifests()) {
      assertThat(slipway("digest", slipwayHost + "/multi@" + manifest).out().strip())
          .isEqualTo(manifest);
    }

    CliRun one = slipway("copy", "--platform", "linux/arm64", slipwayHost + "/multi:1",
        distribution.host() + "/arm-only:1");
    assertThat(one.exitCode()).as(one.err()).isZero();
    assertThat(index.manifests()).contains(one.out().strip());
    assertThat(tool("skopeo", "inspect", "--tls-verify=false",
        "docker://" + distribution.host() + "/arm-only:1")).contains("\"Architecture\": \"arm64\"");
  }
}
