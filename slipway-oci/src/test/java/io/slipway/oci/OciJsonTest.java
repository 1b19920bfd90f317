package io.slipway.oci;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OciJsonTest {

  private static final String CONFIG =
      "sha256:b5bb9d8014a0f9b1d61e21e796d78dccdf1352f23cd32812f4850b878ae4944c";
  private static final String LAYER =
      "sha256:7d865e959b2466918c9863afca942d0fb89d7c9ac0c99bafc3749504ded97730";

  private static String json(Object value) {
    return new String(OciJson.canonicalBytes(value), StandardCharsets.UTF_8);
  }

  @Test
  void escapesHtmlCharactersAsGoDoesWhenWritingStrings() {
    assertThat(json(Map.of("k", "<a href=\"x\">&</a>")))
        .isEqualTo("{\"k\":\"\\u003ca href=\\\"x\\\"\\u003e\\u0026\\u003c/a\\u003e\"}");
  }

  @Test
  void escapesLineSeparatorsAsGoDoesWhenWritingStrings() {
    assertThat(json(List.of("a\u2028b\u2029c"))).isEqualTo("[\"a\\u2028b\\u2029c\"]");
  }

  @Test
  void writesControlCharactersWithLowercaseHexWhenWritingStrings() {
    assertThat(json(List.of("\u0001\u001f\n\t\r\\"))).isEqualTo("[\"\\u0001\\u001f\\n\\t\\r\\\\\"]");
  }

  @Test
  void writesOtherUnicodeUnescapedWhenWritingStrings() {
    assertThat(json(List.of("é日本🚢"))).isEqualTo("[\"é日本🚢\"]");
  }

  @Test
  void reproducesGoBytesWhenManifestWasWrittenByGo() {
    // A compact manifest as Go's json.Marshal writes the image-spec types: parsing it and
    // writing it back must give the same bytes, hence the same digest.
    String go =
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
            + "\"artifactType\":\"application/vnd.example+type\","
            + "\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\","
            + "\"digest\":\"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\","
            + "\"size\":2,\"data\":\"e30=\"},"
            + "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\","
            + "\"digest\":\"" + LAYER + "\",\"size\":1234,"
            + "\"annotations\":{\"org.opencontainers.image.title\":\"a \\u0026 b.tar.gz\"}}],"
            + "\"subject\":{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
            + "\"digest\":\"" + CONFIG + "\",\"size\":7682},"
            + "\"annotations\":{\"a\":\"1\",\"b\":\"\\u003cx\\u003e\"}}";
    byte[] bytes = go.getBytes(StandardCharsets.UTF_8);

    ManifestBytes reencoded =
        ManifestBytes.serialize(ManifestBytes.of(bytes, MediaTypes.OCI_MANIFEST).manifest());

    assertThat(reencoded.bytes()).isEqualTo(bytes);
    assertThat(reencoded.digest()).isEqualTo(Digest.sha256(bytes));
  }

  @Test
  void reproducesGoBytesWhenIndexWasWrittenByGo() {
    String go =
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
            + "\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
            + "\"digest\":\"" + CONFIG + "\",\"size\":1,"
            + "\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}},"
            + "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
            + "\"digest\":\"" + LAYER + "\",\"size\":2,"
            + "\"annotations\":{\"vnd.docker.reference.digest\":\"" + CONFIG + "\","
            + "\"vnd.docker.reference.type\":\"attestation-manifest\"},"
            + "\"platform\":{\"architecture\":\"unknown\",\"os\":\"unknown\"}}]}";
    byte[] bytes = go.getBytes(StandardCharsets.UTF_8);

    ManifestBytes reencoded =
        ManifestBytes.serialize(ManifestBytes.of(bytes, MediaTypes.OCI_INDEX).manifest());

    assertThat(new String(reencoded.bytes(), StandardCharsets.UTF_8)).isEqualTo(go);
  }

  @Test
  void reproducesGoBytesWhenDockerManifestWasWrittenByGo() {
    String go =
        "{\"schemaVersion\":2,"
            + "\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\","
            + "\"config\":{\"mediaType\":\"application/vnd.docker.container.image.v1+json\","
            + "\"digest\":\"" + CONFIG + "\",\"size\":1457},"
            + "\"layers\":[{\"mediaType\":\"application/vnd.docker.image.rootfs.diff.tar.gzip\","
            + "\"digest\":\"" + LAYER + "\",\"size\":2219949}]}";
    byte[] bytes = go.getBytes(StandardCharsets.UTF_8);

    ManifestBytes reencoded =
        ManifestBytes.serialize(ManifestBytes.of(bytes, MediaTypes.DOCKER_MANIFEST).manifest());

    assertThat(new String(reencoded.bytes(), StandardCharsets.UTF_8)).isEqualTo(go);
    assertThat(reencoded.mediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST);
  }
}
