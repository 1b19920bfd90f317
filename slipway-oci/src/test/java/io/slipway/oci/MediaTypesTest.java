package io.slipway.oci;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.oci.MediaTypes.Compression;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MediaTypesTest {

  /** Media type, image manifest, index, config, layer, non-distributable. */
  static Stream<Arguments> classification() {
    return Stream.of(
        Arguments.of(MediaTypes.OCI_MANIFEST, true, false, false, false, false),
        Arguments.of(MediaTypes.DOCKER_MANIFEST, true, false, false, false, false),
        Arguments.of(MediaTypes.OCI_INDEX, false, true, false, false, false),
        Arguments.of(MediaTypes.DOCKER_MANIFEST_LIST, false, true, false, false, false),
        Arguments.of(MediaTypes.OCI_CONFIG, false, false, true, false, false),
        Arguments.of(MediaTypes.DOCKER_CONFIG, false, false, true, false, false),
        Arguments.of(MediaTypes.OCI_LAYER, false, false, false, true, false),
        Arguments.of(MediaTypes.OCI_LAYER_GZIP, false, false, false, true, false),
        Arguments.of(MediaTypes.OCI_LAYER_ZSTD, false, false, false, true, false),
        Arguments.of(MediaTypes.OCI_LAYER_NONDISTRIBUTABLE, false, false, false, true, true),
        Arguments.of(MediaTypes.OCI_LAYER_NONDISTRIBUTABLE_GZIP, false, false, false, true, true),
        Arguments.of(MediaTypes.OCI_LAYER_NONDISTRIBUTABLE_ZSTD, false, false, false, true, true),
        Arguments.of(MediaTypes.DOCKER_LAYER_GZIP, false, false, false, true, false),
        Arguments.of(MediaTypes.DOCKER_LAYER, false, false, false, true, false),
        Arguments.of(MediaTypes.DOCKER_LAYER_FOREIGN_GZIP, false, false, false, true, true),
        Arguments.of(MediaTypes.DOCKER_LAYER_FOREIGN, false, false, false, true, true),
        Arguments.of(MediaTypes.OCI_EMPTY, false, false, false, false, false),
        Arguments.of(MediaTypes.DOCKER_MANIFEST_V1_SIGNED, false, false, false, false, false),
        Arguments.of("application/vnd.example.sbom+json", false, false, false, false, false),
        Arguments.of("", false, false, false, false, false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("classification")
  void classifiesWhenGivenKnownOrUnknownType(
      String type,
      boolean imageManifest,
      boolean index,
      boolean config,
      boolean layer,
      boolean nonDistributable) {
    assertThat(MediaTypes.isImageManifest(type)).as("isImageManifest").isEqualTo(imageManifest);
    assertThat(MediaTypes.isIndex(type)).as("isIndex").isEqualTo(index);
    assertThat(MediaTypes.isManifest(type)).as("isManifest").isEqualTo(imageManifest || index);
    assertThat(MediaTypes.isImageConfig(type)).as("isImageConfig").isEqualTo(config);
    assertThat(MediaTypes.isLayer(type)).as("isLayer").isEqualTo(layer);
    assertThat(MediaTypes.isNonDistributable(type))
        .as("isNonDistributable")
        .isEqualTo(nonDistributable);
  }

  @Test
  void ignoresParametersAndCaseWhenClassifying() {
    assertThat(MediaTypes.isImageManifest(" Application/VND.oci.image.manifest.v1+json; charset=utf-8"))
        .isTrue();
    assertThat(MediaTypes.essence("application/json; charset=utf-8")).isEqualTo("application/json");
    assertThat(MediaTypes.essence(null)).isEmpty();
  }

  @Test
  void reportsCompressionWhenTypeIsALayer() {
    assertThat(MediaTypes.layerCompression(MediaTypes.OCI_LAYER)).contains(Compression.NONE);
    assertThat(MediaTypes.layerCompression(MediaTypes.DOCKER_LAYER_GZIP)).contains(Compression.GZIP);
    assertThat(MediaTypes.layerCompression(MediaTypes.OCI_LAYER_ZSTD)).contains(Compression.ZSTD);
    assertThat(MediaTypes.layerCompression(MediaTypes.OCI_CONFIG)).isEmpty();
  }

  @Test
  void picksLayerAndConfigTypesOfTheManifestFamilyWhenAsked() {
    assertThat(MediaTypes.layerType(MediaTypes.DOCKER_MANIFEST, Compression.GZIP))
        .isEqualTo(MediaTypes.DOCKER_LAYER_GZIP);
    assertThat(MediaTypes.layerType(MediaTypes.OCI_MANIFEST, Compression.GZIP))
        .isEqualTo(MediaTypes.OCI_LAYER_GZIP);
    assertThat(MediaTypes.layerType(MediaTypes.DOCKER_MANIFEST, Compression.ZSTD))
        .isEqualTo(MediaTypes.OCI_LAYER_ZSTD);
    assertThat(MediaTypes.configTypeFor(MediaTypes.DOCKER_MANIFEST))
        .isEqualTo(MediaTypes.DOCKER_CONFIG);
    assertThat(MediaTypes.configTypeFor(MediaTypes.OCI_MANIFEST)).isEqualTo(MediaTypes.OCI_CONFIG);
  }

  @Test
  void checksRfc6838ShapeWhenAskedIfWellFormed() {
    assertThat(MediaTypes.isWellFormed(MediaTypes.OCI_MANIFEST)).isTrue();
    assertThat(MediaTypes.isWellFormed("application/vnd.cncf.helm.config.v1+json")).isTrue();
    assertThat(MediaTypes.isWellFormed("text/plain; charset=utf-8")).isTrue();
    assertThat(MediaTypes.isWellFormed("application")).isFalse();
    assertThat(MediaTypes.isWellFormed("application/")).isFalse();
    assertThat(MediaTypes.isWellFormed("a/b/c")).isFalse();
    assertThat(MediaTypes.isWellFormed("/json")).isFalse();
  }

  @Test
  void listsOciTypesFirstWhenBuildingAcceptHeader() {
    assertThat(MediaTypes.ACCEPTED_MANIFESTS)
        .containsExactly(
            MediaTypes.OCI_INDEX,
            MediaTypes.OCI_MANIFEST,
            MediaTypes.DOCKER_MANIFEST_LIST,
            MediaTypes.DOCKER_MANIFEST);
  }
}
