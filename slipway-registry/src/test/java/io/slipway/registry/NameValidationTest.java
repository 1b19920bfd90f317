package io.slipway.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NameValidationTest {
  @TempDir Path root;
  TestRegistry registry;

  @BeforeEach
  void start() throws Exception {
    registry = TestRegistry.start(root);
  }

  @AfterEach
  void stop() throws Exception {
    registry.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"../x", "x/../y", "Upper", "a//b", "-lead", "trail-", "a%2Fb", "a..b"})
  void doesAnswer400NameInvalidWhenNameIsMalformed(String name) throws Exception {
    HttpResponse<String> tags = registry.send("GET", "/v2/" + name + "/tags/list", null);
    HttpResponse<String> upload = registry.send("POST", "/v2/" + name + "/blobs/uploads/", null);

    assertThat(tags.statusCode()).as(name).isEqualTo(400);
    assertThat(TestRegistry.errorCode(tags)).isEqualTo("NAME_INVALID");
    assertThat(upload.statusCode()).isEqualTo(400);
  }

  @Test
  void doesAnswer400WhenNameIsLongerThan255() throws Exception {
    String name = "a".repeat(128) + "/" + "b".repeat(127);

    HttpResponse<String> response = registry.send("GET", "/v2/" + name + "/tags/list", null);
    HttpResponse<String> justFits =
        registry.send("GET", "/v2/" + name.substring(1) + "/tags/list", null);

    assertThat(name).hasSize(256);
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(TestRegistry.errorCode(response)).isEqualTo("NAME_INVALID");
    assertThat(justFits.statusCode()).isEqualTo(404);
  }

  @ParameterizedTest
  @ValueSource(strings = {"-dash", ".dot", "tag+plus"})
  void doesAnswer400TagInvalidWhenTagIsMalformed(String tag) throws Exception {
    HttpResponse<String> get = registry.send("GET", "/v2/app/manifests/" + tag, null);
    HttpResponse<String> put = registry.send("PUT", "/v2/app/manifests/" + tag, "{}".getBytes(),
        "Content-Type", "application/vnd.oci.image.manifest.v1+json");

    assertThat(get.statusCode()).isEqualTo(400);
    assertThat(TestRegistry.errorCode(get)).isEqualTo("TAG_INVALID");
    assertThat(put.statusCode()).isEqualTo(400);
  }

  @Test
  void doesAnswer400WhenTagIsLongerThan128() throws Exception {
    HttpResponse<String> get = registry.send("GET", "/v2/app/manifests/" + "t".repeat(129), null);

    assertThat(get.statusCode()).isEqualTo(400);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sha256:abc", "sha256:" + "A0000000000000000000000000000000"
      + "00000000000000000000000000000000", "md5:0123", "nocolon"})
  void doesAnswer400DigestInvalidWhenDigestIsMalformed(String digest) throws Exception {
    HttpResponse<String> response = registry.send("GET", "/v2/app/blobs/" + digest, null);
    HttpResponse<String> referrers = registry.send("GET", "/v2/app/referrers/" + digest, null);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(TestRegistry.errorCode(response)).isEqualTo("DIGEST_INVALID");
    assertThat(referrers.statusCode()).isEqualTo(400);
  }

  @Test
  void doesAnswerVersionCheckAndHealth() throws Exception {
    HttpResponse<String> version = registry.send("GET", "/v2/", null);
    HttpResponse<String> health = registry.send("GET", "/healthz", null);

    assertThat(version.statusCode()).isEqualTo(200);
    assertThat(version.headers().firstValue("Docker-Distribution-API-Version"))
        .hasValue("registry/2.0");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).contains("ok");
  }
}
