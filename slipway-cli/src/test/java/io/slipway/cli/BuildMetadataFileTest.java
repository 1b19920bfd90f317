package io.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.slipway.build.export.BuiltImage;
import io.slipway.oci.Descriptor;
import io.slipway.oci.Digest;
import io.slipway.oci.ImageConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
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
  void doesGiveFileBuildxModeWhenWritten() throws Exception {
    // 0644 less this process's umask: what a plain 0644 create gets here.
    Set<PosixFilePermission> expected = Files.getPosixFilePermissions(Files.createFile(
        dir.resolve("reference"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--"))));
    assumeThat(expected).as("umask leaves others' read").contains(PosixFilePermission.OTHERS_READ);
    Path file = dir.resolve("meta.json");

    BuildMetadataFile.write(file, image(), List.of());

    assertThat(Files.getPosixFilePermissions(file)).isEqualTo(expected);
  }

  @Test
  void doesWriteThroughSymlinkWhenDestinationIsOne() throws Exception {
    Path targetDir = Files.createDirectories(dir.resolve("elsewhere"));
    Path target = Files.writeString(targetDir.resolve("meta.json"), "old\n");
    Path link = Files.createSymbolicLink(dir.resolve("link.json"), Path.of("elsewhere/meta.json"));

    BuildMetadataFile.write(link, image(), List.of("app:1"));

    assertThat(Files.isSymbolicLink(link)).as("the link stays a link").isTrue();
    assertThat(Files.readSymbolicLink(link)).isEqualTo(Path.of("elsewhere/meta.json"));
    assertThat(Files.readString(target))
        .isEqualTo(BuildMetadataFile.json(image(), List.of("app:1")));
    try (var files = Files.list(targetDir)) {
      assertThat(files.toList()).as("no temporary file left").containsExactly(target);
    }
  }

  @Test
  void doesCreateTargetWhenDestinationIsDanglingSymlink() throws Exception {
    Path targetDir = Files.createDirectories(dir.resolve("elsewhere"));
    Path link = Files.createSymbolicLink(dir.resolve("link.json"),
        targetDir.resolve("new.json"));

    BuildMetadataFile.write(link, image(), List.of());

    assertThat(Files.isSymbolicLink(link)).isTrue();
    assertThat(Files.readString(targetDir.resolve("new.json")))
        .isEqualTo(BuildMetadataFile.json(image(), List.of()));
  }

  @Test
  void doesLeaveNoTemporaryFileWhenRenameFails() throws Exception {
    // A non-empty directory cannot be replaced by a file: the rename fails after the write.
    Path file = Files.createDirectories(dir.resolve("meta.json"));
    Path inside = Files.writeString(file.resolve("kept"), "kept");

    assertThatThrownBy(() -> BuildMetadataFile.write(file, image(), List.of()))
        .isInstanceOf(IOException.class);

    try (var files = Files.list(dir)) {
      assertThat(files.toList()).as("no temporary file left").containsExactly(file);
    }
    assertThat(inside).hasContent("kept");
  }

  @Test
  void doesLeaveNameOutWhenImageIsUnnamed() {
    assertThat(BuildMetadataFile.json(image(), List.of())).doesNotContain("image.name");
  }
}
