package io.slipway.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DescriptorTest {

  private static final String DIGEST =
      "sha256:6e8b9cf5b6a4e2e8b0f7b3f0f4b6a5a2d1c3e4f5a6b7c8d9e0f1a2b3c4d5e6f7";

  private static String json(Object value) {
    return new String(OciJson.canonicalBytes(value), StandardCharsets.UTF_8);
  }

  private static Descriptor read(String json) {
    return OciJson.read(
        json.getBytes(StandardCharsets.UTF_8), Descriptor.class, IllegalArgumentException::new);
  }

  @Test
  void writesOnlyRequiredFieldsWhenOptionalsAreAbsent() {
    Descriptor descriptor = Descriptor.of(MediaTypes.OCI_LAYER_GZIP, Digest.parse(DIGEST), 42);

    assertThat(json(descriptor))
        .isEqualTo(
            "{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\""
                + DIGEST
                + "\",\"size\":42}");
  }

  @Test
  void writesSizeZeroWhenContentIsEmpty() {
    Descriptor descriptor = Descriptor.of(MediaTypes.OCI_LAYER, new byte[0]);

    assertThat(json(descriptor)).contains("\"size\":0");
  }

  @Test
  void writesEveryFieldInSpecOrderWhenAllArePresent() {
    Descriptor descriptor =
        Descriptor.of(MediaTypes.OCI_MANIFEST, Digest.parse(DIGEST), 7)
            .withUrls(List.of("https://example.com/blob"))
            .withAnnotations(Map.of("z", "1", "a", "2"))
            .withData(new byte[] {1, 2, 3})
            .withPlatform(Platform.of("linux", "arm64", "v8"))
            .withArtifactType("application/vnd.example+json");

    assertThat(json(descriptor))
        .isEqualTo(
            "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\""
                + DIGEST
                + "\",\"size\":7,\"urls\":[\"https://example.com/blob\"],"
                + "\"annotations\":{\"a\":\"2\",\"z\":\"1\"},\"data\":\"AQID\","
                + "\"platform\":{\"architecture\":\"arm64\",\"os\":\"linux\",\"variant\":\"v8\"},"
                + "\"artifactType\":\"application/vnd.example+json\"}");
  }

  @Test
  void readsBackEqualWhenWrittenAndRead() {
    Descriptor descriptor =
        Descriptor.of(MediaTypes.OCI_MANIFEST, Digest.parse(DIGEST), 7)
            .withAnnotations(Map.of("org.opencontainers.image.ref.name", "1.0"))
            .withPlatform(
                new Platform("windows", "amd64", null, "10.0.17763.1234", List.of("win32k")));

    assertThat(read(json(descriptor))).isEqualTo(descriptor);
  }

  @Test
  void ignoresUnknownFieldsWhenReading() {
    Descriptor descriptor =
        read(
            "{\"mediaType\":\"application/x-new\",\"digest\":\""
                + DIGEST
                + "\",\"size\":3,\"futureField\":{\"nested\":[1,2]},\"x\":null}");

    assertThat(descriptor).isEqualTo(Descriptor.of("application/x-new", Digest.parse(DIGEST), 3));
  }

  @Test
  void readsEmptyOptionalsAsAbsentWhenPresentButEmpty() {
    Descriptor descriptor =
        read(
            "{\"mediaType\":\"m/t\",\"digest\":\""
                + DIGEST
                + "\",\"size\":3,\"urls\":[],\"annotations\":{},\"artifactType\":\"\"}");

    assertThat(descriptor.urls()).isEmpty();
    assertThat(descriptor.annotations()).isEmpty();
    assertThat(descriptor.artifactType()).isNull();
  }

  @Test
  void rejectsWithFieldPathWhenDigestIsInvalid() {
    assertThatThrownBy(() -> read("{\"mediaType\":\"m/t\",\"digest\":\"sha256:abc\",\"size\":3}"))
        .hasMessage(
            "digest: invalid digest \"sha256:abc\": sha256 needs 64 lowercase hex characters,"
                + " got 3 characters");
  }

  @Test
  void rejectsWhenSizeIsNegative() {
    assertThatThrownBy(() -> Descriptor.of("m/t", Digest.parse(DIGEST), -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("descriptor size must not be negative, got -1");
  }

  @Test
  void rejectsWhenSizeIsMissing() {
    // OCI image spec: size is REQUIRED. Read as 0, a missing size would pass for an empty blob
    // until a fetch failed far from the manifest at fault.
    assertThatThrownBy(() -> read("{\"mediaType\":\"m/t\",\"digest\":\"" + DIGEST + "\"}"))
        .hasMessage("size: Missing required creator property 'size' (index 2)");
  }

  @Test
  void rejectsWhenMediaTypeIsMissing() {
    assertThatThrownBy(() -> read("{\"digest\":\"" + DIGEST + "\",\"size\":3}"))
        .hasMessage("descriptor mediaType is required");
  }

  @Test
  void describesTheEmptyBlobWhenEmptyDescriptorIsUsed() {
    byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);

    assertThat(Descriptor.EMPTY.embeds(empty)).isTrue();
    assertThat(Descriptor.EMPTY.decodedData()).hasValueSatisfying(d -> assertThat(d).isEqualTo(empty));
    assertThat(Descriptor.EMPTY).isEqualTo(Descriptor.of(MediaTypes.OCI_EMPTY, empty).withData(empty));
  }

  @Test
  void decodesNothingWhenDataIsNotBase64() {
    Descriptor descriptor =
        read("{\"mediaType\":\"m/t\",\"digest\":\"" + DIGEST + "\",\"size\":3,\"data\":\"!!\"}");

    assertThat(descriptor.decodedData()).isEmpty();
  }

  @Test
  void keepsAnnotationsSortedWhenBuiltFromUnsortedMap() {
    Descriptor descriptor =
        Descriptor.of("m/t", Digest.parse(DIGEST), 1)
            .withAnnotations(Map.of("b", "1", "c", "2", "a", "3"));

    assertThat(descriptor.annotations().keySet()).containsExactly("a", "b", "c");
  }

  @Test
  void refusesModificationWhenCollectionsAreReturned() {
    Descriptor descriptor =
        Descriptor.of("m/t", Digest.parse(DIGEST), 1).withUrls(List.of("https://x"));

    assertThatThrownBy(() -> descriptor.urls().add("y"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> descriptor.annotations().put("k", "v"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void rejectsWhenSizeIsAString() {
    assertThatThrownBy(
            () -> read("{\"mediaType\":\"m/t\",\"digest\":\"" + DIGEST + "\",\"size\":\"12\"}"))
        .hasMessageStartingWith("size: Cannot coerce String value");
  }

  @Test
  void rejectsWhenSizeIsFractional() {
    assertThatThrownBy(
            () -> read("{\"mediaType\":\"m/t\",\"digest\":\"" + DIGEST + "\",\"size\":1.5}"))
        .hasMessageStartingWith("size: Cannot coerce Floating-point value");
  }

  @Test
  void rejectsWhenMediaTypeIsANumber() {
    assertThatThrownBy(
            () -> read("{\"mediaType\":5,\"digest\":\"" + DIGEST + "\",\"size\":1}"))
        .hasMessageStartingWith("mediaType: Cannot coerce Integer value");
  }

  @Test
  void rejectsWhenAnnotationValueIsNotAString() {
    assertThatThrownBy(
            () ->
                read(
                    "{\"mediaType\":\"m/t\",\"digest\":\""
                        + DIGEST
                        + "\",\"size\":1,\"annotations\":{\"k\":true}}"))
        .hasMessageStartingWith("annotations.k: Cannot coerce Boolean value");
  }
}
