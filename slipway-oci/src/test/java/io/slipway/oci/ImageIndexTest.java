package io.slipway.oci;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ImageIndexTest {

  private static Descriptor entry(int n, Platform platform) {
    Descriptor descriptor =
        Descriptor.of(
            MediaTypes.OCI_MANIFEST, Digest.parse("sha256:" + String.valueOf(n).repeat(64)), n);
    return platform == null ? descriptor : descriptor.withPlatform(platform);
  }

  private static final Descriptor AMD64 = entry(1, Platform.of("linux", "amd64"));
  private static final Descriptor ARM64 = entry(2, Platform.of("linux", "arm64", "v8"));
  private static final Descriptor ARMV6 = entry(3, Platform.of("linux", "arm", "v6"));
  private static final Descriptor ARMV5 = entry(4, Platform.of("linux", "arm", "v5"));
  private static final Descriptor ATTESTATION =
      entry(5, null).withAnnotations(Map.of("vnd.docker.reference.type", "attestation-manifest"));
  private static final Descriptor UNKNOWN = entry(6, Platform.of("unknown", "unknown"));

  private static final ImageIndex INDEX =
      ImageIndex.of(List.of(ATTESTATION, UNKNOWN, ARMV5, AMD64, ARMV6, ARM64));

  @Test
  void selectsExactEntryWhenPlatformIsListed() {
    assertThat(INDEX.select(Platform.parse("linux/amd64"))).contains(AMD64);
    assertThat(INDEX.select(Platform.parse("linux/x86_64"))).contains(AMD64);
  }

  @Test
  void selectsEntryWithVariantWhenAskedWithoutOne() {
    assertThat(INDEX.select(Platform.parse("linux/arm64"))).contains(ARM64);
    assertThat(INDEX.select(Platform.parse("linux/aarch64"))).contains(ARM64);
  }

  @Test
  void selectsNewestRunnableVariantWhenNoExactMatch() {
    assertThat(INDEX.select(Platform.parse("linux/arm/v7"))).contains(ARMV6);
    assertThat(INDEX.select(Platform.parse("linux/arm/v6"))).contains(ARMV6);
  }

  @Test
  void selectsNothingWhenNoEntryCanRun() {
    assertThat(INDEX.select(Platform.parse("linux/s390x"))).isEmpty();
    assertThat(INDEX.select(Platform.parse("windows/amd64"))).isEmpty();
  }

  @Test
  void neverSelectsEntriesWithoutPlatform() {
    ImageIndex onlyAttestations = ImageIndex.of(List.of(ATTESTATION));

    assertThat(onlyAttestations.select(Platform.parse("linux/amd64"))).isEmpty();
  }

  @Test
  void selectsFirstListedWhenTwoEntriesAreEquallyGood() {
    Descriptor second = entry(7, Platform.of("linux", "amd64"));
    List<Descriptor> entries = new ArrayList<>(List.of(AMD64, second));

    assertThat(ImageIndex.of(entries).select(Platform.parse("linux/amd64"))).contains(AMD64);
  }

  @Test
  void listsSubjectLastButNotAsChildWhenIndexHasOne() {
    Descriptor subject = entry(8, null);
    ImageIndex index = ImageIndex.of(List.of(AMD64)).withSubject(subject);

    assertThat(index.references()).containsExactly(AMD64, subject);
    assertThat(index.children()).containsExactly(AMD64);
    assertThat(index.referrerSubject()).isEqualTo(Optional.of(subject));
  }

  @Test
  void reportsArtifactTypeWhenIndexDeclaresOne() {
    assertThat(INDEX.withArtifactType("application/vnd.example").referrerArtifactType())
        .contains("application/vnd.example");
  }

  @Test
  void usesDockerMediaTypeWhenBuildingManifestList() {
    assertThat(ImageIndex.dockerList(List.of(AMD64)).mediaType())
        .isEqualTo(MediaTypes.DOCKER_MANIFEST_LIST);
  }
}
