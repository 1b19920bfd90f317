package io.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.build.export.BuiltImage;
import io.slipway.oci.Descriptor;
import io.slipway.oci.Digest;
import io.slipway.oci.ImageConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildMetadataFileTest {
  private static final Digest MANIFEST = Digest.parse("sha256:" + "a".repeat(64));
  private static final Digest CONFIG = Digest.parse("sha256:" + "b".repeat(64));

  @TempDir Path dir;

  private static BuiltImage image() {
    return new BuiltImage(
        Descriptor.of("application/vnd.oci.image.manifest.v1+json", MANIFEST, 412),
        Descriptor.of("application/vnd.oci.image.config.v1+json", CONFIG, 900),
        ImageConfig.of(io.slipway.oci.Platform.of("linux", "amd64")), List.of());
  }

  @Test
  void doesWriteBuildxKeysWhenImageIsNamed() throws Exception {
    Path file = dir.resolve("meta.json");
    BuildMetadataFile.write(file, image(), List.of("app:1", "registry.example/app:1"));
    assertThat(Files.readString(file)).isEqualTo("""
        {
          "containerimage.config.digest" : "%s",
          "containerimage.descriptor" : {
            "mediaType" : "application/vnd.oci.image.manifest.v1+json",
            "digest" : "%s",
            "size" : 412
          },
          "containerimage.digest" : "%s",
          "image.name" : "app:1,registry.example/app:1"
        }
        """.formatted(CONFIG, MANIFEST, MANIFEST));
    try (var files = Files.list(dir)) {
      assertThat(files.toList()).as("no temporary file left").containsExactly(file);
    }
  }

  @Test
  void doesLeaveNameOutWhenImageIsUnnamed() {
    assertThat(BuildMetadataFile.json(image(), List.of())).doesNotContain("image.name");
  }
}
