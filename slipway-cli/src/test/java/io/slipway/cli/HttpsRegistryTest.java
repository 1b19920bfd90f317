package io.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.registry.RegistryConfig;
import io.slipway.registry.RegistryServer;
import io.slipway.registry.auth.SelfSignedTls;
import io.slipway.testing.ChildJvm;
import io.slipway.testing.IntegrationTest;
import io.slipway.testing.RequiresTool;
import io.slipway.testing.images.TestImage;
import io.slipway.testing.images.TestImages;
import io.slipway.testing.peers.DistributionRegistry;
import io.slipway.testing.peers.TestCertificateAuthority;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client over HTTPS, end to end through the {@code slipway} commands: the Slipway registry
 * with {@code --tls-self-signed}'s certificate and Debian's docker-registry with one from a CA made
 * by openssl, both on loopback. With the CA file images copy; without it the command fails with
 * one line naming the registry and the certificate problem. A registry named by anything but
 * localhost is spoken to in plain HTTP only when marked insecure; those tests run the command in
 * a JVM of its own whose hosts file maps {@value #NAME} to 127.0.0.1.
 */
@IntegrationTest
@RequiresTool(value = {"openssl", "docker-registry", "busybox"},
    debianPackage = "openssl docker-registry busybox-static")
class HttpsRegistryTest {
  private static final String NAME = "registry.slipway.test";
  private static final Duration CHILD_TIMEOUT = Duration.ofMinutes(2);

  @TempDir Path dir;

  private RegistryServer slipwayTls;
  private DistributionRegistry distributionTls;
  private Path bothCas;
  private TestImage image;


  @BeforeEach
  void start() throws Exception {
    SelfSignedTls selfSigned = SelfSignedTls.generate(dir.resolve("slipway-tls"));
    // No access log: the registry runs in this JVM and logs to the System.err that CliRun
    // captures, so a line of the previous request, written after its response, would land in
    // the next command's error output.
    slipwayTls = RegistryServer.start(RegistryConfig.defaults(dir.resolve("slipway-registry"))
        .withAddress("127.0.0.1", 0).withTls(selfSigned.certificate(), selfSigned.key())
        .withAccessLog(false));
    TestCertificateAuthority ca = TestCertificateAuthority.create(dir.resolve("ca"));
    distributionTls = DistributionRegistry.startWithTls(
        ca.issue("127.0.0.1", "localhost", NAME), ca.certificate());
    // One PEM file may hold several CAs, as a system bundle does.
    bothCas = dir.resolve("cas.pem");
    Files.writeString(bothCas, Files.readString(selfSigned.caCertificate())
        + Files.readString(ca.certificate()));
    image = TestImages.busybox(dir.resolve("busybox"));
  }

  @AfterEach
  void stop() throws Exception {
    slipwayTls.close();
    distributionTls.close();
  }

  private String slipwayHost() {
    return "127.0.0.1:" + slipwayTls.port();
  }

  private CliRun slipway(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--root", dir.resolve("client-root").toString(),
        "--config", dir.resolve("docker").toString()));
    return CliRun.of(all.toArray(String[]::new));
  }

  /** {@code slipway ARGS} in a child JVM that resolves {@value #NAME} to 127.0.0.1. */
  private CliRun slipwayResolvingName(String... args) throws Exception {
    Path hosts = dir.resolve("hosts");
    Files.writeString(hosts, "127.0.0.1 " + NAME + "\n");
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--root", dir.resolve("client-root").toString(),
        "--config", dir.resolve("docker").toString()));
    Path log = Files.createTempFile(dir, "child", ".log");
    try (ChildJvm child = ChildJvm.start(log, List.of("-Djdk.net.hosts.file=" + hosts),
        Main.class, all.toArray(String[]::new))) {
      int code = child.awaitExit(CHILD_TIMEOUT);
      // The child's stdout and stderr share one log; the tests look for lines in either.
      return new CliRun(code, child.output(), child.output());
    }
  }

  private String pushToSlipway() {
    CliRun push = slipway("push", "--ca-file", bothCas.toString(),
        "oci-layout:" + image.layout() + ":" + image.tag(), slipwayHost() + "/library/busybox:1");
    assertThat(push.exitCode()).as(push.err()).isZero();
    return push.out().strip();
  }

  @Test
  void copiesBetweenHttpsRegistriesWhenGivenTheCaFile() {
    assertThat(pushToSlipway()).isEqualTo(image.digest());

    CliRun copy = slipway("copy", "--ca-file", bothCas.toString(),
        slipwayHost() + "/library/busybox:1", distributionTls.host() + "/mirror/busybox:1");
    CliRun there = slipway("digest", "--ca-file", bothCas.toString(),
        distributionTls.host() + "/mirror/busybox:1");

    assertThat(copy.exitCode()).as(copy.err()).isZero();
    assertThat(there.exitCode()).as(there.err()).isZero();
    assertThat(there.out().strip()).isEqualTo(image.digest());
  }

  @Test
  void refusesAnUntrustedCertificateNamingTheRegistry() {
    pushToSlipway();

    for (String registry : List.of(slipwayHost(), distributionTls.host())) {
      CliRun digest = slipway("digest", registry + "/library/busybox:1");

      assertThat(digest.exitCode()).as(digest.err()).isEqualTo(1);
      assertThat(digest.err().strip())
          .startsWith("slipway digest: registry " + registry + ": its TLS certificate is not trusted (")
          .contains("--ca-file")
          .doesNotContain("\n")
          .doesNotContain("failed after");
    }
  }

  @Test
  void refusesACertificateForAnotherName() throws Exception {
    // The self-signed certificate names localhost and 127.0.0.1 only.
    CliRun digest = slipwayResolvingName("digest", "--ca-file", bothCas.toString(),
        NAME + ":" + slipwayTls.port() + "/library/busybox:1");

    assertThat(digest.exitCode()).as(digest.out()).isEqualTo(1);
    assertThat(digest.out())
        .contains("registry " + NAME + ":" + slipwayTls.port() + ": its TLS certificate is not trusted")
        .contains(NAME)
        .doesNotContain("\tat ");
  }

  @Test
  void speaksHttpsToANamedRegistryWithTheCaFile() throws Exception {
    pushToSlipway();
    CliRun copy = slipway("copy", "--ca-file", bothCas.toString(),
        slipwayHost() + "/library/busybox:1", distributionTls.host() + "/named/busybox:1");
    assertThat(copy.exitCode()).as(copy.err()).isZero();

    CliRun digest = slipwayResolvingName("digest", "--ca-file", bothCas.toString(),
        NAME + ":" + distributionTls.host().split(":")[1] + "/named/busybox:1");

    assertThat(digest.exitCode()).as(digest.out()).isZero();
    assertThat(digest.out()).contains(image.digest());
  }

  @Test
  void speaksPlainHttpToANamedRegistryOnlyWhenMarkedInsecure() throws Exception {
    try (RegistryServer plain = RegistryServer.start(
        RegistryConfig.defaults(dir.resolve("plain-registry")).withAddress("127.0.0.1", 0)
            .withAccessLog(false))) {
      // Loopback by address: the client finds out that the registry speaks plain HTTP.
      CliRun push = slipway("push", "oci-layout:" + image.layout() + ":" + image.tag(),
          "127.0.0.1:" + plain.port() + "/library/busybox:1");
      assertThat(push.exitCode()).as(push.err()).isZero();
      String named = NAME + ":" + plain.port();

      CliRun refused = slipwayResolvingName("digest", named + "/library/busybox:1");
      CliRun allowed = slipwayResolvingName("digest", "--insecure", named,
          named + "/library/busybox:1");

      assertThat(refused.exitCode()).as(refused.out()).isEqualTo(1);
      assertThat(refused.out())
          .contains("slipway digest: registry " + named + " answered HTTPS in plain HTTP")
          .contains("--insecure " + named)
          .doesNotContain("\tat ");
      assertThat(allowed.exitCode()).as(allowed.out()).isZero();
      assertThat(allowed.out()).contains(image.digest());
    }
  }
}
