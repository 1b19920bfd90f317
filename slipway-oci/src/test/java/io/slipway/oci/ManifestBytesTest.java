package io.slipway.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ManifestBytesTest {

  private static final String CONFIG =
      "sha256:b5bb9d8014a0f9b1d61e21e796d78dccdf1352f23cd32812f4850b878ae4944c";
  private static final String LAYER =
      "sha256:7d865e959b2466918c9863afca942d0fb89d7c9ac0c99bafc3749504ded97730";
  private static final String CHILD =
      "sha256:0a0dcaa8b4b6bd4ee2d1e8f1bd2c1e1f7b2d0f0a6f8e5c3b4a2d1e0f9c8b7a6d";

  // Pretty-printed, with fields in an unusual order and fields no spec defines, as some
  // registries and tools write them: none of this may change the bytes or the digest.
  private static final String OCI_MANIFEST =
      """
      {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "layers": [
          {
            "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
            "size": 32654,
            "digest": "%s",
            "x-vendor-hint": {"cache": true}
          }
        ],
        "config": {
          "mediaType": "application/vnd.oci.image.config.v1+json",
          "digest": "%s",
          "size": 7023
        },
        "annotations": {"org.opencontainers.image.created": "2024-01-01T00:00:00Z"},
        "futureTopLevelField": [1, 2, 3]
      }
      """
          .formatted(LAYER, CONFIG);

  private static final String DOCKER_LIST =
      """
      {"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.list.v2+json",
       "manifests":[{"mediaType":"application/vnd.docker.distribution.manifest.v2+json",
       "digest":"%s","size":528,"platform":{"architecture":"arm64","os":"linux","variant":"v8"}}]}
      """
          .formatted(CHILD);

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(ManifestBytes manifest) {
    return new String(manifest.bytes(), StandardCharsets.UTF_8);
  }

  @Test
  void keepsExactBytesAndTheirDigestWhenReceived() throws IOException {
    byte[] received = utf8(OCI_MANIFEST);

    ManifestBytes manifest = ManifestBytes.of(received, MediaTypes.OCI_MANIFEST);
    manifest.manifest();

    assertThat(manifest.bytes()).isEqualTo(received);
    assertThat(manifest.digest()).isEqualTo(Digest.sha256(received));
    assertThat(manifest.size()).isEqualTo(received.length);
    try (InputStream in = manifest.openStream()) {
      assertThat(in.readAllBytes()).isEqualTo(received);
    }
  }

  @Test
  void isUnaffectedWhenCallerChangesItsArrays() {
    byte[] received = utf8(OCI_MANIFEST);
    ManifestBytes manifest = ManifestBytes.of(received, MediaTypes.OCI_MANIFEST);

    received[0] = 'X';
    manifest.bytes()[1] = 'Y';

    assertThat(text(manifest)).isEqualTo(OCI_MANIFEST);
  }

  @Test
  void parsesImageManifestWhenFieldsAreUnknownAndOrderUnusual() {
    ImageManifest manifest =
        ManifestBytes.of(utf8(OCI_MANIFEST), MediaTypes.OCI_MANIFEST).imageManifest();

    assertThat(manifest.config().digest()).hasToString(CONFIG);
    assertThat(manifest.config().size()).isEqualTo(7023);
    assertThat(manifest.layers()).singleElement().satisfies(l -> {
      assertThat(l.digest()).hasToString(LAYER);
      assertThat(l.size()).isEqualTo(32654);
    });
    assertThat(manifest.annotations())
        .containsEntry("org.opencontainers.image.created", "2024-01-01T00:00:00Z");
    assertThat(manifest.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
  }

  @Test
  void listsConfigLayersAndSubjectWhenAskedForReferences() {
    Descriptor subject = Descriptor.of(MediaTypes.OCI_MANIFEST, Digest.parse(CHILD), 100);
    ImageManifest manifest =
        ManifestBytes.of(utf8(OCI_MANIFEST), MediaTypes.OCI_MANIFEST)
            .imageManifest()
            .withSubject(subject);

    assertThat(manifest.references())
        .extracting(d -> d.digest().toString())
        .containsExactly(CONFIG, LAYER, CHILD);
    assertThat(manifest.children())
        .extracting(d -> d.digest().toString())
        .containsExactly(CONFIG, LAYER);
    assertThat(manifest.referrerSubject()).contains(subject);
  }

  @Test
  void reportsConfigMediaTypeAsArtifactTypeWhenManifestHasNone() {
    ImageManifest manifest =
        ManifestBytes.of(utf8(OCI_MANIFEST), MediaTypes.OCI_MANIFEST).imageManifest();

    assertThat(manifest.referrerArtifactType()).contains(MediaTypes.OCI_CONFIG);
    assertThat(manifest.withArtifactType("application/vnd.example.sig").referrerArtifactType())
        .contains("application/vnd.example.sig");
  }

  @Test
  void parsesDockerManifestListWhenGivenItsType() {
    ManifestBytes bytes = ManifestBytes.of(utf8(DOCKER_LIST), MediaTypes.DOCKER_MANIFEST_LIST);

    ImageIndex index = bytes.index();

    assertThat(index.manifests()).singleElement().satisfies(d -> {
      assertThat(d.digest()).hasToString(CHILD);
      assertThat(d.platform()).isEqualTo(Platform.of("linux", "arm64", "v8"));
    });
    assertThat(index.references()).isEqualTo(index.manifests());
    assertThat(index.referrerSubject()).isEmpty();
    assertThat(index.referrerArtifactType()).isEmpty();
  }

  @Test
  void ignoresContentTypeParametersWhenChoosingTheParser() {
    ManifestBytes bytes =
        ManifestBytes.of(utf8(OCI_MANIFEST), MediaTypes.OCI_MANIFEST + "; charset=utf-8");

    assertThat(bytes.manifest()).isInstanceOf(ImageManifest.class);
    assertThat(bytes.descriptor().mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
  }

  @Test
  void givesUnknownManifestWhenMediaTypeIsUnknown() {
    String artifact =
        """
        {"mediaType":"application/vnd.oci.artifact.manifest.v1+json",
         "artifactType":"application/vnd.example.sbom",
         "blobs":[{"mediaType":"application/json","digest":"%s","size":10},{"bad":true}],
         "subject":{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":5},
         "annotations":{"a":"b","n":1}}
        """
            .formatted(LAYER, CHILD);

    Manifest manifest =
        ManifestBytes.of(utf8(artifact), "application/vnd.oci.artifact.manifest.v1+json")
            .manifest();

    assertThat(manifest).isInstanceOfSatisfying(UnknownManifest.class, u -> {
      assertThat(u.mediaType()).isEqualTo("application/vnd.oci.artifact.manifest.v1+json");
      assertThat(u.children()).extracting(d -> d.digest().toString()).containsExactly(LAYER);
      assertThat(u.annotations()).containsExactly(Map.entry("a", "b"));
    });
    assertThat(manifest.referrerSubject()).map(d -> d.digest().toString()).contains(CHILD);
    assertThat(manifest.referrerArtifactType()).contains("application/vnd.example.sbom");
    assertThat(manifest.references()).extracting(d -> d.digest().toString())
        .containsExactly(LAYER, CHILD);
  }

  @Test
  void givesUnknownManifestWhenSchema1IsReceived() {
    String schema1 = "{\"schemaVersion\":1,\"name\":\"x\",\"tag\":\"y\",\"fsLayers\":[]}";

    Manifest manifest =
        ManifestBytes.of(utf8(schema1), MediaTypes.DOCKER_MANIFEST_V1_SIGNED).manifest();

    assertThat(manifest).isInstanceOf(UnknownManifest.class);
    assertThat(manifest.references()).isEmpty();
  }

  @Test
  void rejectsWhenBytesAreNotJson() {
    ManifestBytes bytes = ManifestBytes.of(utf8("not json"), MediaTypes.OCI_MANIFEST);

    assertThatThrownBy(bytes::manifest)
        .isInstanceOf(InvalidManifestException.class)
        .hasMessageStartingWith("invalid manifest: not JSON: ");
  }

  @Test
  void rejectsWhenJsonIsNotAnObject() {
    assertThatThrownBy(() -> ManifestBytes.of(utf8("[1]"), "application/x-anything").manifest())
        .isInstanceOf(InvalidManifestException.class)
        .hasMessage("invalid manifest: expected a JSON object, got ARRAY");
  }

  @Test
  void rejectsWhenDocumentHasTrailingContent() {
    assertThatThrownBy(() -> ManifestBytes.of(utf8("{} {}"), MediaTypes.OCI_INDEX).manifest())
        .isInstanceOf(InvalidManifestException.class)
        .hasMessageStartingWith("invalid manifest: not JSON: ");
  }

  @Test
  void rejectsWhenDocumentHasDuplicateKeys() {
    String duplicate =
        "{\"schemaVersion\":2,\"manifests\":[],\"manifests\":[{\"mediaType\":\"m/t\"}]}";

    assertThatThrownBy(() -> ManifestBytes.of(utf8(duplicate), MediaTypes.OCI_INDEX).manifest())
        .isInstanceOf(InvalidManifestException.class)
        .hasMessageContaining("Duplicate field 'manifests'");
  }

  @Test
  void rejectsWhenDeclaredMediaTypeContradictsGivenType() {
    assertThatThrownBy(
            () -> ManifestBytes.of(utf8(OCI_MANIFEST), MediaTypes.DOCKER_MANIFEST).manifest())
        .isInstanceOf(InvalidManifestException.class)
        .hasMessage(
            "invalid manifest: the document's mediaType"
                + " \"application/vnd.oci.image.manifest.v1+json\" contradicts the given type"
                + " application/vnd.docker.distribution.manifest.v2+json");
  }

  @Test
  void rejectsWhenImageManifestLacksConfig() {
    String noConfig = "{\"schemaVersion\":2,\"layers\":[]}";

    assertThatThrownBy(() -> ManifestBytes.of(utf8(noConfig), MediaTypes.OCI_MANIFEST).manifest())
        .isInstanceOf(InvalidManifestException.class)
        .hasMessage("invalid manifest: config is required in an image manifest");
  }

  @Test
  void rejectsWhenSchemaVersionIsNotTwo() {
    String v3 = "{\"schemaVersion\":3,\"manifests\":[]}";

    assertThatThrownBy(() -> ManifestBytes.of(utf8(v3), MediaTypes.OCI_INDEX).manifest())
        .isInstanceOf(InvalidManifestException.class)
        .hasMessage("invalid manifest: schemaVersion must be 2, got 3");
  }

  @Test
  void namesTheFieldWhenALayerDigestIsInvalid() {
    String badLayer =
        ("{\"schemaVersion\":2,\"config\":{\"mediaType\":\"m/c\",\"digest\":\"%s\",\"size\":1},"
                + "\"layers\":[{\"mediaType\":\"m/l\",\"digest\":\"%s\",\"size\":1},"
                + "{\"mediaType\":\"m/l\",\"digest\":\"sha256:XYZ\",\"size\":1}]}")
            .formatted(CONFIG, LAYER);

    assertThatThrownBy(() -> ManifestBytes.of(utf8(badLayer), MediaTypes.OCI_MANIFEST).manifest())
        .isInstanceOf(InvalidManifestException.class)
        .hasMessage(
            "invalid manifest: layers[1].digest: invalid digest \"sha256:XYZ\": sha256 needs 64"
                + " lowercase hex characters, got 3 characters");
  }

  @Test
  void acceptsArbitraryMediaTypesInsideWhenManifestIsKnown() {
    String custom =
        ("{\"schemaVersion\":2,\"config\":{\"mediaType\":\"application/vnd.cncf.helm.config.v1+json\","
                + "\"digest\":\"%s\",\"size\":1},\"layers\":[{\"mediaType\":"
                + "\"application/vnd.cncf.helm.chart.content.v1.tar+gzip\",\"digest\":\"%s\","
                + "\"size\":1}]}")
            .formatted(CONFIG, LAYER);

    ImageManifest manifest =
        ManifestBytes.of(utf8(custom), MediaTypes.OCI_MANIFEST).imageManifest();

    assertThat(manifest.referrerArtifactType())
        .contains("application/vnd.cncf.helm.config.v1+json");
    assertThat(manifest.mediaType()).isNull();
  }

  @Test
  void detectsMediaTypeWhenNoneIsGiven() {
    assertThat(ManifestBytes.detect(utf8(OCI_MANIFEST)).mediaType())
        .isEqualTo(MediaTypes.OCI_MANIFEST);
    assertThat(ManifestBytes.detect(utf8(DOCKER_LIST)).mediaType())
        .isEqualTo(MediaTypes.DOCKER_MANIFEST_LIST);
    assertThat(ManifestBytes.detect(utf8("{\"schemaVersion\":2,\"manifests\":[]}")).mediaType())
        .isEqualTo(MediaTypes.OCI_INDEX);
    assertThat(
            ManifestBytes.detect(
                    utf8(
                        "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"m/c\",\"digest\":\""
                            + CONFIG
                            + "\",\"size\":1},\"layers\":[]}"))
                .mediaType())
        .isEqualTo(MediaTypes.OCI_MANIFEST);
    assertThat(ManifestBytes.detect(utf8("{\"schemaVersion\":1,\"signatures\":[]}")).mediaType())
        .isEqualTo(MediaTypes.DOCKER_MANIFEST_V1_SIGNED);
  }

  @Test
  void digestsWithRequestedAlgorithmWhenDetecting() {
    byte[] received = utf8(OCI_MANIFEST);

    ManifestBytes manifest = ManifestBytes.detect(received, DigestAlgorithm.SHA512);

    assertThat(manifest.digest()).isEqualTo(Digest.of(DigestAlgorithm.SHA512, received));
    assertThat(manifest.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
  }

  @Test
  void rejectsDetectionWhenBytesAreNotJson() {
    assertThatThrownBy(() -> ManifestBytes.detect(utf8("\u0000binary")))
        .isInstanceOf(InvalidManifestException.class)
        .hasMessageStartingWith("invalid manifest: not JSON: ");
  }

  @Test
  void rejectsDetectionWhenDocumentSaysNothingOfItsType() {
    assertThatThrownBy(() -> ManifestBytes.detect(utf8("{\"schemaVersion\":2}")))
        .isInstanceOf(InvalidManifestException.class)
        .hasMessage(
            "invalid manifest: cannot tell the media type: no mediaType field, and neither"
                + " manifests nor config");
  }

  @Test
  void writesCanonicalBytesWhenSerializingOwnManifest() {
    ImageManifest manifest =
        ImageManifest.of(
                Descriptor.of(MediaTypes.OCI_CONFIG, Digest.parse(CONFIG), 7023),
                List.of(Descriptor.of(MediaTypes.OCI_LAYER_GZIP, Digest.parse(LAYER), 32654)))
            .withAnnotations(Map.of("z", "last", "a", "first"));

    ManifestBytes bytes = ManifestBytes.serialize(manifest);

    assertThat(text(bytes))
        .isEqualTo(
            "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\","
                + "\"digest\":\"" + CONFIG + "\",\"size\":7023},"
                + "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\","
                + "\"digest\":\"" + LAYER + "\",\"size\":32654}],"
                + "\"annotations\":{\"a\":\"first\",\"z\":\"last\"}}");
    assertThat(bytes.digest()).isEqualTo(Digest.sha256(bytes.bytes()));
    assertThat(bytes.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
    assertThat(bytes.manifest()).isSameAs(manifest);
  }

  @Test
  void producesIdenticalBytesWhenSerializedTwiceOrAfterRoundTrip() {
    ImageIndex index =
        ImageIndex.of(
                List.of(
                    Descriptor.of(MediaTypes.OCI_MANIFEST, Digest.parse(CHILD), 528)
                        .withPlatform(Platform.of("linux", "amd64"))
                        .withAnnotations(Map.of("b", "2", "a", "1"))))
            .withSubject(Descriptor.of(MediaTypes.OCI_MANIFEST, Digest.parse(CONFIG), 9));

    ManifestBytes first = ManifestBytes.serialize(index);
    ManifestBytes second = ManifestBytes.serialize(index);
    ManifestBytes reparsed =
        ManifestBytes.serialize(ManifestBytes.of(first.bytes(), first.mediaType()).manifest());

    assertThat(second.bytes()).isEqualTo(first.bytes());
    assertThat(reparsed.bytes()).isEqualTo(first.bytes());
    assertThat(reparsed).isEqualTo(first);
  }

  @Test
  void writesEmptyLayersWhenManifestHasNone() {
    ImageManifest manifest = ImageManifest.of(Descriptor.EMPTY, List.of());

    assertThat(text(ManifestBytes.serialize(manifest))).contains("\"layers\":[]");
  }

  @Test
  void writesEmptyManifestsWhenIndexHasNone() {
    assertThat(text(ManifestBytes.serialize(ImageIndex.of(List.of()))))
        .isEqualTo(
            "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
                + "\"manifests\":[]}");
  }

  @Test
  void usesEmptyConfigAndLayerWhenBuildingArtifactWithoutBlobs() {
    ImageManifest artifact = ImageManifest.artifact("application/vnd.example.sig", List.of());

    assertThat(artifact.config()).isEqualTo(Descriptor.EMPTY);
    assertThat(artifact.layers()).containsExactly(Descriptor.EMPTY);
    assertThat(artifact.referrerArtifactType()).contains("application/vnd.example.sig");
  }

  @Test
  void refusesToReencodeWhenManifestIsUnknown() {
    Manifest unknown = ManifestBytes.of(utf8("{}"), "application/x-thing").manifest();

    assertThatThrownBy(() -> ManifestBytes.serialize(unknown))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "a manifest of unknown type null cannot be re-encoded; keep its original bytes");
  }

  @Test
  void checksDigestUnderEitherAlgorithmWhenAsked() {
    byte[] received = utf8(OCI_MANIFEST);
    ManifestBytes manifest = ManifestBytes.of(received, MediaTypes.OCI_MANIFEST);

    assertThat(manifest.hasDigest(Digest.sha256(received))).isTrue();
    assertThat(manifest.hasDigest(Digest.of(DigestAlgorithm.SHA512, received))).isTrue();
    assertThat(manifest.hasDigest(Digest.parse(CONFIG))).isFalse();
    assertThat(ManifestBytes.of(received, MediaTypes.OCI_MANIFEST, DigestAlgorithm.SHA512).digest())
        .isEqualTo(Digest.of(DigestAlgorithm.SHA512, received));
  }

  @Test
  void refusesWhenMediaTypeIsMissing() {
    assertThatThrownBy(() -> ManifestBytes.of(utf8("{}"), " "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a manifest media type is required");
  }

  @Test
  void rejectsWhenAskedForIndexButHoldsImageManifest() {
    ManifestBytes bytes = ManifestBytes.of(utf8(OCI_MANIFEST), MediaTypes.OCI_MANIFEST);

    assertThatThrownBy(bytes::index)
        .isInstanceOf(InvalidManifestException.class)
        .hasMessage(
            "invalid manifest: expected an index, got application/vnd.oci.image.manifest.v1+json "
                + bytes.digest());
  }

  @Test
  void describesManifestForReferrersWhenAsked() {
    ImageManifest signature =
        ImageManifest.artifact("application/vnd.example.sig", List.of())
            .withSubject(Descriptor.of(MediaTypes.OCI_MANIFEST, Digest.parse(CHILD), 5))
            .withAnnotations(Map.of("created", "now"));
    ManifestBytes bytes = ManifestBytes.serialize(signature);

    assertThat(bytes.referrerDescriptor())
        .isEqualTo(
            Descriptor.of(MediaTypes.OCI_MANIFEST, bytes.digest(), bytes.size())
                .withArtifactType("application/vnd.example.sig")
                .withAnnotations(Map.of("created", "now")));
  }

  @Test
  void omitsArtifactTypeForReferrersWhenIndexHasNone() {
    ManifestBytes bytes = ManifestBytes.of(utf8(DOCKER_LIST), MediaTypes.DOCKER_MANIFEST_LIST);

    assertThat(bytes.referrerDescriptor().artifactType()).isNull();
  }

  @Test
  void givesEqualViewsWhenParsedFromManyThreadsAtOnce() throws Exception {
    ManifestBytes bytes = ManifestBytes.of(utf8(OCI_MANIFEST), MediaTypes.OCI_MANIFEST);
    int threads = 16;
    CountDownLatch start = new CountDownLatch(1);
    try (var executor = Executors.newFixedThreadPool(threads)) {
      List<Future<Manifest>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        results.add(
            executor.submit(
                () -> {
                  start.await();
                  return bytes.manifest();
                }));
      }
      start.countDown();
      Manifest first = results.get(0).get(10, TimeUnit.SECONDS);
      for (Future<Manifest> result : results) {
        assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo(first);
      }
    }
  }
}
