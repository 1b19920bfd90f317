package io.slipway.registry.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.slipway.registry.RegistryConfig;
import io.slipway.registry.RegistryServer;
import io.slipway.testing.IntegrationTest;
import io.slipway.testing.RequiresTool;
import io.slipway.testing.images.TestImage;
import io.slipway.testing.images.TestImages;
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

/** Real skopeo against Slipway's registry on loopback, with locally made busybox images. */
@IntegrationTest
@RequiresTool(value = {"skopeo", "busybox"}, debianPackage = "skopeo busybox-static")
class SkopeoInteropTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path work;
  RegistryServer server;
  String host;

  @BeforeEach
  void start() throws Exception {
    server = RegistryServer.start(
        RegistryConfig.defaults(work.resolve("registry")).withAddress("127.0.0.1", 0));
    host = "127.0.0.1:" + server.port();
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  private record Run(int exit, String stdout, String stderr) {}

  private Run skopeo(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("skopeo", "--insecure-policy"));
    command.addAll(List.of(args));
    Path out = Files.createTempFile(work, "skopeo", ".out");
    Path err = Files.createTempFile(work, "skopeo", ".err");
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    // Keep the user's registries.conf and credentials out of the test.
    builder.environment().put("HOME", work.toString());
    builder.environment().put("REGISTRY_AUTH_FILE", work.resolve("auth.json").toString());
    Process process = builder.start();
    if (!process.waitFor(180, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("skopeo " + String.join(" ", args) + " did not finish in 180 s");
    }
    return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
  }

  private Run skopeoOk(String... args) throws IOException, InterruptedException {
    Run run = skopeo(args);
    assertThat(run.exit())
        .as("skopeo %s\nstdout: %s\nstderr: %s", String.join(" ", args), run.stdout(), run.stderr())
        .isZero();
    return run;
  }

  private String docker(String repositoryAndTag) {
    return "docker://" + host + "/" + repositoryAndTag;
  }

  private void push(TestImage image, String target, boolean all) throws Exception {
    List<String> args = new ArrayList<>(List.of("copy", "--dest-tls-verify=false",
        "--preserve-digests"));
    if (all) {
      args.add("--all");
    }
    args.add(image.ociReference());
    args.add(docker(target));
    skopeoOk(args.toArray(String[]::new));
  }

  private static void assertSameBlobs(TestImage source, Path copy, List<String> digests)
      throws IOException {
    for (String digest : digests) {
      Path original = source.blobPath(digest);
      Path copied = copy.resolve("blobs/sha256").resolve(digest.substring("sha256:".length()));
      assertThat(copied).as("blob %s came back", digest).exists();
      assertThat(Files.mismatch(original, copied)).as("blob %s is byte-identical", digest)
          .isEqualTo(-1L);
    }
  }

  @Test
  void doesReturnIdenticalImageWhenCopiedInAndOut() throws Exception {
    TestImage image = TestImages.busybox(work.resolve("source"));
    push(image, "library/busybox:1", false);
    Path copy = work.resolve("copy");

    skopeoOk("copy", "--src-tls-verify=false", "--preserve-digests",
        docker("library/busybox:1"), "oci:" + copy + ":1");

    assertSameBlobs(image, copy, List.of(image.digest()));
    assertSameBlobs(image, copy, image.blobs());
  }

  @Test
  void doesShowRawManifestAndConfigWhenInspected() throws Exception {
    TestImage image = TestImages.busybox(work.resolve("source"));
    push(image, "busybox:1", false);

    Run raw = skopeoOk("inspect", "--tls-verify=false", "--raw", docker("busybox:1"));
    Run inspect = skopeoOk("inspect", "--tls-verify=false", docker("busybox:1"));

    assertThat(raw.stdout().getBytes(StandardCharsets.UTF_8))
        .isEqualTo(Files.readAllBytes(image.blobPath(image.digest())));
    JsonNode info = JSON.readTree(inspect.stdout());
    assertThat(info.get("Digest").asText()).isEqualTo(image.digest());
    assertThat(info.get("Architecture").asText()).isEqualTo("amd64");
    assertThat(info.get("Layers")).hasSize(3);
    assertThat(info.get("Env").get(0).asText()).startsWith("PATH=");
  }

  @Test
  void doesListEveryTagWhenImageIsPushedUnderSeveral() throws Exception {
    TestImage image = TestImages.busybox(work.resolve("source"));
    for (String tag : List.of("1", "1.36", "latest")) {
      push(image, "busybox:" + tag, false);
    }

    Run tags = skopeoOk("list-tags", "--tls-verify=false", docker("busybox"));

    List<String> listed = new ArrayList<>();
    JSON.readTree(tags.stdout()).get("Tags").forEach(tag -> listed.add(tag.asText()));
    assertThat(listed).containsExactly("1", "1.36", "latest");
  }

  @Test
  void doesForgetImageWhenDeleted() throws Exception {
    TestImage image = TestImages.busybox(work.resolve("source"));
    push(image, "busybox:doomed", false);

    skopeoOk("delete", "--tls-verify=false", docker("busybox:doomed"));
    Run after = skopeo("inspect", "--tls-verify=false", "--raw", docker("busybox:doomed"));

    assertThat(after.exit()).isNotZero();
    assertThat(after.stderr()).containsIgnoringCase("manifest unknown");
  }

  @Test
  void doesCopyEveryPlatformWhenIndexIsCopiedWithAll() throws Exception {
    TestImage image = TestImages.busyboxIndex(work.resolve("multi"));
    push(image, "multi/busybox:1", true);
    Path copy = work.resolve("copy");

    skopeoOk("copy", "--all", "--src-tls-verify=false", "--preserve-digests",
        docker("multi/busybox:1"), "oci:" + copy + ":1");
    Run raw = skopeoOk("inspect", "--tls-verify=false", "--raw", docker("multi/busybox:1"));

    assertThat(JSON.readTree(raw.stdout()).get("manifests")).hasSize(2);
    assertSameBlobs(image, copy, List.of(image.digest()));
    assertSameBlobs(image, copy, image.manifests());
    assertSameBlobs(image, copy, image.blobs());
  }
}
