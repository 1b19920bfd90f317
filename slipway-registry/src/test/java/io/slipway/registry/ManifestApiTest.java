package io.slipway.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.oci.Digest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestApiTest {
  private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  private static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";

  @TempDir Path root;
  TestRegistry registry;

  @BeforeEach
  void start() throws Exception {
    registry = TestRegistry.start(RegistryConfig.defaults(root).withAddress("127.0.0.1", 0)
        .withMaxManifestBytes(64 * 1024));
  }

  @AfterEach
  void stop() throws Exception {
    registry.close();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private HttpResponse<String> putManifest(String name, String reference, byte[] manifest,
      String mediaType) throws Exception {
    return registry.send("PUT", "/v2/" + name + "/manifests/" + reference, manifest,
        "Content-Type", mediaType);
  }

  @Test
  void doesServeManifestByteForByteWhenFetchedByTagOrDigest() throws Exception {
    byte[] manifest = registry.pushImage("app", "v1", "a");
    Digest digest = Digest.sha256(manifest);

    HttpResponse<byte[]> byTag = registry.getBytes("/v2/app/manifests/v1", "Accept", OCI_MANIFEST);
    HttpResponse<byte[]> byDigest = registry.getBytes("/v2/app/manifests/" + digest);
    HttpResponse<String> head = registry.send("HEAD", "/v2/app/manifests/v1", null);

    assertThat(byTag.body()).isEqualTo(manifest);
    assertThat(byDigest.body()).isEqualTo(manifest);
    assertThat(byTag.headers().firstValue("Content-Type")).hasValue(OCI_MANIFEST);
    assertThat(byTag.headers().firstValue("Docker-Content-Digest")).hasValue(digest.toString());
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(manifest.length);
  }

  @Test
  void doesAnswerNotFoundWhenAcceptExcludesStoredType() throws Exception {
    registry.pushImage("app", "v1", "a");

    HttpResponse<String> response = registry.send("GET", "/v2/app/manifests/v1", null,
        "Accept", "application/vnd.docker.distribution.manifest.v2+json");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(TestRegistry.errorCode(response)).isEqualTo("MANIFEST_UNKNOWN");
  }

  @Test
  void doesApplyEveryTagWhenPushedByDigestWithTags() throws Exception {
    byte[] manifest = registry.pushImage("app", "v1", "a");
    Digest digest = Digest.sha256(manifest);

    HttpResponse<String> put =
        putManifest("app", digest + "?tag=latest&tag=stable", manifest, OCI_MANIFEST);
    HttpResponse<String> tags = registry.send("GET", "/v2/app/tags/list", null);

    assertThat(put.statusCode()).isEqualTo(201);
    assertThat(put.headers().firstValue("Docker-Content-Digest")).hasValue(digest.toString());
    assertThat(TestRegistry.texts(TestRegistry.json(tags).get("tags")))
        .containsExactly("latest", "stable", "v1");
  }

  @Test
  void doesRejectManifestNamingMissingBlob() throws Exception {
    Digest config = registry.pushBlob("app", bytes("{}"));
    Digest missing = Digest.sha256(bytes("never pushed"));
    byte[] manifest = registry.imageManifest(config, 2, Map.of(missing, 12L));

    HttpResponse<String> put = putManifest("app", "v1", manifest, OCI_MANIFEST);

    assertThat(put.statusCode()).isEqualTo(404);
    assertThat(TestRegistry.errorCode(put)).isEqualTo("MANIFEST_BLOB_UNKNOWN");
    assertThat(TestRegistry.json(put).path("errors").path(0).path("detail").path("digest")
        .asText()).isEqualTo(missing.toString());
    assertThat(registry.send("GET", "/v2/app/manifests/v1", null).statusCode()).isEqualTo(404);
  }

  @Test
  void doesAnswer413WhenManifestIsTooLarge() throws Exception {
    byte[] huge = new byte[65 * 1024];
    java.util.Arrays.fill(huge, (byte) ' ');

    // Repeated: the answer once raced the connection's close and arrived as a reset.
    for (int attempt = 0; attempt < 20; attempt++) {
      HttpResponse<String> put = putManifest("app", "v1", huge, OCI_MANIFEST);

      assertThat(put.statusCode()).isEqualTo(413);
      assertThat(TestRegistry.errorCode(put)).isEqualTo("SIZE_INVALID");
    }
  }

  @Test
  void doesRejectGarbageJson() throws Exception {
    HttpResponse<String> put = putManifest("app", "v1", bytes("{not json"), OCI_MANIFEST);

    assertThat(put.statusCode()).isEqualTo(400);
    assertThat(TestRegistry.errorCode(put)).isEqualTo("MANIFEST_INVALID");
    assertThat(registry.send("GET", "/v2/app/tags/list", null).statusCode()).isEqualTo(404);
  }

  @Test
  void doesRejectManifestWhoseMediaTypeContradictsContentType() throws Exception {
    byte[] manifest = registry.pushImage("app", "v1", "a");

    HttpResponse<String> put = putManifest("app", "v2", manifest, OCI_INDEX);

    assertThat(put.statusCode()).isEqualTo(400);
    assertThat(TestRegistry.errorCode(put)).isEqualTo("MANIFEST_INVALID");
  }

  @Test
  void doesRejectManifestWhenDigestInPathDiffers() throws Exception {
    byte[] manifest = registry.pushImage("app", "v1", "a");
    Digest other = Digest.sha256(bytes("other"));

    HttpResponse<String> put = putManifest("app", other.toString(), manifest, OCI_MANIFEST);

    assertThat(put.statusCode()).isEqualTo(400);
    assertThat(TestRegistry.errorCode(put)).isEqualTo("DIGEST_INVALID");
    assertThat(registry.send("GET", "/v2/app/manifests/" + other, null).statusCode())
        .isEqualTo(404);
  }

  @Test
  void doesAcceptIndexWhenChildrenArePresent() throws Exception {
    byte[] amd64 = registry.pushImage("app", "amd64", "a");
    byte[] arm64 = registry.pushImage("app", "arm64", "b");
    Digest missingChild = Digest.sha256(bytes("missing child"));
    String index = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_INDEX + "\",\"manifests\":["
        + "{\"mediaType\":\"" + OCI_MANIFEST + "\",\"digest\":\"" + Digest.sha256(amd64)
        + "\",\"size\":" + amd64.length + ",\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}},"
        + "{\"mediaType\":\"" + OCI_MANIFEST + "\",\"digest\":\"" + Digest.sha256(arm64)
        + "\",\"size\":" + arm64.length + ",\"platform\":{\"architecture\":\"arm64\",\"os\":\"linux\"}}]}";
    String broken = index.replace(Digest.sha256(arm64).toString(), missingChild.toString());

    HttpResponse<String> good = putManifest("app", "multi", bytes(index), OCI_INDEX);
    HttpResponse<String> bad = putManifest("app", "broken", bytes(broken), OCI_INDEX);

    assertThat(good.statusCode()).isEqualTo(201);
    assertThat(registry.getBytes("/v2/app/manifests/multi").body()).isEqualTo(bytes(index));
    assertThat(bad.statusCode()).isEqualTo(404);
    assertThat(TestRegistry.errorCode(bad)).isEqualTo("MANIFEST_BLOB_UNKNOWN");
  }

  @Test
  void doesPageTagsWithLinkWhenNIsGiven() throws Exception {
    byte[] manifest = registry.pushImage("app", "e", "a");
    Digest digest = Digest.sha256(manifest);
    putManifest("app", digest + "?tag=a&tag=c&tag=b&tag=d", manifest, OCI_MANIFEST);

    HttpResponse<String> first = registry.send("GET", "/v2/app/tags/list?n=2", null);
    HttpResponse<String> second = registry.send("GET", "/v2/app/tags/list?n=2&last=b", null);
    HttpResponse<String> last = registry.send("GET", "/v2/app/tags/list?n=2&last=d", null);
    HttpResponse<String> none = registry.send("GET", "/v2/app/tags/list?n=0", null);
    HttpResponse<String> bad = registry.send("GET", "/v2/app/tags/list?n=-1", null);

    assertThat(TestRegistry.texts(TestRegistry.json(first).get("tags"))).containsExactly("a", "b");
    assertThat(first.headers().firstValue("Link"))
        .hasValue("</v2/app/tags/list?n=2&last=b>; rel=\"next\"");
    assertThat(TestRegistry.texts(TestRegistry.json(second).get("tags"))).containsExactly("c", "d");
    assertThat(TestRegistry.texts(TestRegistry.json(last).get("tags"))).containsExactly("e");
    assertThat(last.headers().firstValue("Link")).isEmpty();
    assertThat(TestRegistry.json(none).get("tags")).isEmpty();
    assertThat(none.headers().firstValue("Link")).isEmpty();
    assertThat(bad.statusCode()).isEqualTo(400);
  }

  @Test
  void doesPageCatalogWithLink() throws Exception {
    for (String name : List.of("c", "a/x", "b")) {
      registry.pushBlob(name, bytes(name));
    }

    HttpResponse<String> first = registry.send("GET", "/v2/_catalog?n=2", null);
    HttpResponse<String> rest = registry.send("GET", "/v2/_catalog?n=2&last=b", null);

    assertThat(TestRegistry.texts(TestRegistry.json(first).get("repositories")))
        .containsExactly("a/x", "b");
    assertThat(first.headers().firstValue("Link")).isPresent();
    assertThat(TestRegistry.texts(TestRegistry.json(rest).get("repositories"))).containsExactly("c");
  }

  private byte[] referrer(Digest subject, long subjectSize, String artifactType, String note)
      throws Exception {
    Digest empty = registry.pushBlob("app", bytes("{}"));
    Digest layer = registry.pushBlob("app", bytes(note));
    String json = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"artifactType\":\""
        + artifactType + "\",\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\","
        + "\"digest\":\"" + empty + "\",\"size\":2},\"layers\":[{\"mediaType\":\"text/plain\","
        + "\"digest\":\"" + layer + "\",\"size\":" + note.length() + "}],\"subject\":{\"mediaType\":\""
        + OCI_MANIFEST + "\",\"digest\":\"" + subject + "\",\"size\":" + subjectSize + "},"
        + "\"annotations\":{\"note\":\"" + note + "\"}}";
    return bytes(json);
  }

  @Test
  void doesListReferrersFilteredByArtifactType() throws Exception {
    byte[] image = registry.pushImage("app", "v1", "a");
    Digest subject = Digest.sha256(image);
    byte[] signature = referrer(subject, image.length, "application/vnd.example.signature", "sig");
    byte[] sbom = referrer(subject, image.length, "application/vnd.example.sbom", "sbom");

    HttpResponse<String> putSignature =
        putManifest("app", Digest.sha256(signature).toString(), signature, OCI_MANIFEST);
    putManifest("app", Digest.sha256(sbom).toString(), sbom, OCI_MANIFEST);
    HttpResponse<String> all = registry.send("GET", "/v2/app/referrers/" + subject, null);
    HttpResponse<String> filtered = registry.send("GET",
        "/v2/app/referrers/" + subject + "?artifactType=application/vnd.example.sbom", null);

    assertThat(putSignature.headers().firstValue("OCI-Subject")).hasValue(subject.toString());
    assertThat(all.headers().firstValue("Content-Type")).hasValue(OCI_INDEX);
    assertThat(TestRegistry.json(all).get("manifests")).hasSize(2);
    JsonNode only = TestRegistry.json(filtered).get("manifests");
    assertThat(only).hasSize(1);
    assertThat(only.get(0).get("artifactType").asText()).isEqualTo("application/vnd.example.sbom");
    assertThat(only.get(0).get("digest").asText()).isEqualTo(Digest.sha256(sbom).toString());
    assertThat(only.get(0).get("annotations").get("note").asText()).isEqualTo("sbom");
    assertThat(filtered.headers().firstValue("OCI-Filters-Applied")).hasValue("artifactType");
  }

  @Test
  void doesAcceptReferrerWhoseSubjectDoesNotExistYet() throws Exception {
    Digest absent = Digest.sha256(bytes("future image"));
    byte[] signature = referrer(absent, 100, "application/vnd.example.signature", "early");

    HttpResponse<String> put =
        putManifest("app", Digest.sha256(signature).toString(), signature, OCI_MANIFEST);
    HttpResponse<String> list = registry.send("GET", "/v2/app/referrers/" + absent, null);

    assertThat(put.statusCode()).isEqualTo(201);
    assertThat(put.headers().firstValue("OCI-Subject")).hasValue(absent.toString());
    assertThat(TestRegistry.json(list).get("manifests")).hasSize(1);
  }

  @Test
  void doesUntagWhenDeletingByTagAndRemoveManifestWhenDeletingByDigest() throws Exception {
    byte[] manifest = registry.pushImage("app", "v1", "a");
    Digest digest = Digest.sha256(manifest);
    putManifest("app", "v2", manifest, OCI_MANIFEST);

    HttpResponse<String> untag = registry.send("DELETE", "/v2/app/manifests/v1", null);
    int v2Before = registry.send("GET", "/v2/app/manifests/v2", null).statusCode();
    HttpResponse<String> delete = registry.send("DELETE", "/v2/app/manifests/" + digest, null);

    assertThat(untag.statusCode()).isEqualTo(202);
    assertThat(v2Before).isEqualTo(200);
    assertThat(delete.statusCode()).isEqualTo(202);
    assertThat(registry.send("GET", "/v2/app/manifests/v2", null).statusCode()).isEqualTo(404);
    assertThat(registry.send("GET", "/v2/app/manifests/" + digest, null).statusCode())
        .isEqualTo(404);
  }

  @Test
  void doesKeepOneConsistentTagWhenSameTagIsPushedConcurrently() throws Exception {
    List<byte[]> manifests = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      manifests.add(registry.pushImage("app", "seed" + i, "s" + i));
    }
    List<Future<Integer>> results = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (byte[] manifest : manifests) {
        results.add(pool.submit(() -> putManifest("app", "race", manifest, OCI_MANIFEST).statusCode()));
      }
    }

    for (Future<Integer> result : results) {
      assertThat(result.get()).isEqualTo(201);
    }
    byte[] winner = registry.getBytes("/v2/app/manifests/race").body();
    assertThat(manifests).anySatisfy(m -> assertThat(m).isEqualTo(winner));
  }

  @Test
  void doesServeDockerSchema2AsPushedWhenContentTypeIsDocker() throws Exception {
    String dockerType = "application/vnd.docker.distribution.manifest.v2+json";
    Digest config = registry.pushBlob("app", bytes("{\"architecture\":\"amd64\"}"));
    Digest layer = registry.pushBlob("app", bytes("docker layer"));
    byte[] manifest = bytes("{\n   \"schemaVersion\": 2,\n   \"mediaType\": \"" + dockerType
        + "\",\n   \"config\": {\"mediaType\": \"application/vnd.docker.container.image.v1+json\","
        + " \"size\": 24, \"digest\": \"" + config + "\"},\n   \"layers\": [{\"mediaType\":"
        + " \"application/vnd.docker.image.rootfs.diff.tar.gzip\", \"size\": 12, \"digest\": \""
        + layer + "\"}]\n}");

    HttpResponse<String> put = putManifest("app", "docker", manifest, dockerType);
    HttpResponse<byte[]> get = registry.getBytes("/v2/app/manifests/docker", "Accept", dockerType);

    assertThat(put.statusCode()).isEqualTo(201);
    assertThat(get.body()).isEqualTo(manifest);
    assertThat(get.headers().firstValue("Content-Type")).hasValue(dockerType);
  }

  @Test
  void doesAcceptForeignLayerWithUrlsWithoutItsBlob() throws Exception {
    Digest config = registry.pushBlob("app", bytes("{}"));
    Digest foreign = Digest.sha256(bytes("lives elsewhere"));
    byte[] manifest = bytes("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\","
        + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
        + config + "\",\"size\":2},\"layers\":[{\"mediaType\":"
        + "\"application/vnd.oci.image.layer.nondistributable.v1.tar+gzip\",\"digest\":\"" + foreign
        + "\",\"size\":15,\"urls\":[\"https://example.com/layer\"]}]}");

    HttpResponse<String> put = putManifest("app", "foreign", manifest, OCI_MANIFEST);

    assertThat(put.statusCode()).isEqualTo(201);
  }

  @Test
  void doesAnswer405WhenDeletingManifestWithDeletesDisabled() throws Exception {
    registry.close();
    registry = TestRegistry.start(RegistryConfig.defaults(root).withAddress("127.0.0.1", 0)
        .withDeletesEnabled(false));
    registry.pushImage("app", "kept", "k");

    HttpResponse<String> delete = registry.send("DELETE", "/v2/app/manifests/kept", null);

    assertThat(delete.statusCode()).isEqualTo(405);
    assertThat(registry.send("GET", "/v2/app/manifests/kept", null).statusCode()).isEqualTo(200);
  }

  @Test
  void doesPageReferrersWithLinkWhenNIsGiven() throws Exception {
    byte[] image = registry.pushImage("app", "v1", "a");
    Digest subject = Digest.sha256(image);
    List<String> digests = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      byte[] referrer = referrer(subject, image.length, "application/vnd.example.note", "n" + i);
      putManifest("app", Digest.sha256(referrer).toString(), referrer, OCI_MANIFEST);
      digests.add(Digest.sha256(referrer).toString());
    }
    java.util.Collections.sort(digests);

    HttpResponse<String> first = registry.send("GET", "/v2/app/referrers/" + subject + "?n=2", null);
    String next = first.headers().firstValue("Link").orElseThrow();
    String nextPath = next.substring(1, next.indexOf('>'));
    HttpResponse<String> second = registry.send("GET", nextPath, null);

    assertThat(TestRegistry.json(first).get("manifests")).hasSize(2);
    assertThat(TestRegistry.json(first).get("manifests").get(0).get("digest").asText())
        .isEqualTo(digests.get(0));
    assertThat(TestRegistry.json(second).get("manifests")).hasSize(1);
    assertThat(TestRegistry.json(second).get("manifests").get(0).get("digest").asText())
        .isEqualTo(digests.get(2));
    assertThat(second.headers().firstValue("Link")).isEmpty();
  }
}
