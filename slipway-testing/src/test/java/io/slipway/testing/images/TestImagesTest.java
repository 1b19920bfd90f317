package io.slipway.testing.images;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.testing.RequiresTool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@RequiresTool(value = "busybox", debianPackage = "busybox-static")
class TestImagesTest {
  @TempDir Path dir;

  @Test
  void doesWriteSameDigestsWhenCalledTwice() throws Exception {
    TestImage first = TestImages.busybox(dir.resolve("a"));
    TestImage second = TestImages.busybox(dir.resolve("b"));

    assertThat(second.digest()).isEqualTo(first.digest());
    assertThat(second.blobs()).isEqualTo(first.blobs()).hasSize(4);
  }

  @Test
  void doesWriteEveryReferencedBlobWhenWritingIndex() throws Exception {
    TestImage index = TestImages.busyboxIndex(dir.resolve("multi"));

    assertThat(index.manifests()).hasSize(2);
    assertThat(index.blobPath(index.digest())).exists();
    for (String digest : index.manifests()) {
      assertThat(index.blobPath(digest)).exists();
    }
    for (String digest : index.blobs()) {
      assertThat(index.blobPath(digest)).exists();
    }
    assertThat(Files.readString(dir.resolve("multi/index.json"))).contains("\"latest\"");
  }

  @Test
  @RequiresTool(value = "umoci", debianPackage = "umoci")
  void doesWriteLayoutThatUmociReads() throws Exception {
    TestImage image = TestImages.busybox(dir.resolve("layout"));

    Process umoci = new ProcessBuilder("umoci", "stat", "--image", image.layout() + ":latest")
        .redirectErrorStream(true).start();
    String output = new String(umoci.getInputStream().readAllBytes());

    assertThat(umoci.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(umoci.exitValue()).as(output).isZero();
    assertThat(output).contains("COPY busybox /bin/busybox");
  }
}
