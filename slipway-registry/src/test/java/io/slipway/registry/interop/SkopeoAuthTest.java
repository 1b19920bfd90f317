package io.slipway.registry.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.registry.RegistryConfig;
import io.slipway.registry.RegistryServer;
import io.slipway.registry.auth.AccessRule;
import io.slipway.registry.auth.Action;
import io.slipway.registry.auth.AuthConfig;
import io.slipway.registry.auth.HtpasswdFile;
import io.slipway.registry.auth.RegistryAuth;
import io.slipway.registry.auth.RepositoryGlob;
import io.slipway.testing.IntegrationTest;
import io.slipway.testing.RequiresTool;
import io.slipway.testing.images.TestImage;
import io.slipway.testing.images.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real skopeo through the docker token flow against Slipway's registry with auth on: the
 * registry's 401 challenge, the token endpoint with Basic credentials, Bearer tokens on every call.
 */
@IntegrationTest
@RequiresTool(value = {"skopeo", "busybox"}, debianPackage = "skopeo busybox-static")
class SkopeoAuthTest {
  @TempDir Path work;
  RegistryServer server;
  String host;

  @BeforeEach
  void start() throws Exception {
    Path htpasswd = work.resolve("htpasswd");
    HtpasswdFile.putUser(htpasswd, "pusher", "push-pass".toCharArray(), 4);
    HtpasswdFile.putUser(htpasswd, "reader", "read-pass".toCharArray(), 4);
    List<AccessRule> rules = List.of(
        new AccessRule(Set.of("pusher"), Set.of(), false, RepositoryGlob.of("**"), EnumSet.allOf(Action.class)),
        new AccessRule(Set.of("reader"), Set.of(), false, RepositoryGlob.of("library/*"), EnumSet.of(Action.PULL)));
    AuthConfig auth = AuthConfig.builtIn(htpasswd, work.resolve("token-key.pem"), rules, Map.of());
    server = RegistryServer.start(
        RegistryConfig.defaults(work.resolve("registry")).withAddress("127.0.0.1", 0),
        RegistryAuth.open(auth, Clock.systemUTC()));
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

  private void assertOk(Run run) {
    assertThat(run.exit()).as("stdout: %s\nstderr: %s", run.stdout(), run.stderr()).isZero();
  }

  @Test
  void doesCopyInAndOutWhenCredentialsAllowIt() throws Exception {
    TestImage image = TestImages.busybox(work.resolve("source"));
    Path copy = work.resolve("copy");

    assertOk(skopeo("copy", "--dest-tls-verify=false", "--dest-creds", "pusher:push-pass",
        "--preserve-digests", image.ociReference(), "docker://" + host + "/library/busybox:1"));
    assertOk(skopeo("copy", "--src-tls-verify=false", "--src-creds", "reader:read-pass",
        "--preserve-digests", "docker://" + host + "/library/busybox:1", "oci:" + copy + ":1"));

    assertThat(Files.mismatch(image.blobPath(image.digest()),
        copy.resolve("blobs/sha256").resolve(image.digest().substring("sha256:".length()))))
        .isEqualTo(-1L);
  }

  @Test
  void doesRefusePushWhenUserMayOnlyPull() throws Exception {
    TestImage image = TestImages.busybox(work.resolve("source"));

    Run push = skopeo("copy", "--dest-tls-verify=false", "--dest-creds", "reader:read-pass",
        image.ociReference(), "docker://" + host + "/library/busybox:1");
    Run anonymous = skopeo("copy", "--dest-tls-verify=false",
        image.ociReference(), "docker://" + host + "/library/busybox:1");
    Run wrongPassword = skopeo("inspect", "--tls-verify=false", "--creds", "pusher:wrong",
        "docker://" + host + "/library/busybox:1");

    assertThat(push.exit()).isNotZero();
    assertThat(push.stderr()).containsIgnoringCase("unauthorized");
    assertThat(anonymous.exit()).isNotZero();
    assertThat(wrongPassword.exit()).isNotZero();
  }
}
