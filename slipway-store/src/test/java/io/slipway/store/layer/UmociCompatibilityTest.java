package io.slipway.store.layer;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.oci.Digest;
import io.slipway.store.compress.Compression;
import io.slipway.testing.IntegrationTest;
import io.slipway.testing.RequiresTool;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * umoci, an independent OCI implementation, unpacks an image made of Slipway layers (gzip and
 * uncompressed, with whiteouts and an opaque directory) to the same tree Slipway's extractor produces.
 */
@IntegrationTest
@RequiresTool(value = "umoci", debianPackage = "umoci")
class UmociCompatibilityTest {

  private static final Instant TIME = Instant.parse("2021-01-01T00:00:00Z");

  @TempDir Path temp;

  @Test
  void doesUnpackToTheSameTreeWhenUmociAppliesTheLayers() throws Exception {
    Path lower = temp.resolve("lower");
    TestTrees.populate(lower, TIME);
    Files.createDirectories(lower.resolve("opq/sub"));
    Files.writeString(lower.resolve("opq/sub/old"), "old");
    Path upper = temp.resolve("upper");
    Files.createDirectories(upper.resolve("opq"));
    Files.writeString(upper.resolve("opq/new"), "new");
    Files.writeString(upper.resolve("added"), "added");
    TestTrees.touchAll(upper, TIME);
    ChangeSet changes =
        new ChangeSet(
            upper,
            new TreeSet<>(List.of("etc/conf.d", "usr/blob.bin")),
            new TreeSet<>(List.of("opq")));

    Path layout = Files.createDirectories(temp.resolve("layout"));
    Path blobs = Files.createDirectories(layout.resolve("blobs/sha256"));
    List<LayerDigests> layers = new ArrayList<>();
    layers.add(writeBlob(blobs, ChangeSet.of(lower), Compression.GZIP));
    // umoci 0.4 reads gzip and uncompressed layers, not zstd.
    layers.add(writeBlob(blobs, changes, Compression.NONE));
    writeImage(layout, blobs, layers);

    Path bundle = temp.resolve("bundle");
    TestTrees.run(temp, "umoci", "unpack", "--image", layout + ":test", bundle.toString());
    Path ours = Files.createDirectories(temp.resolve("ours"));
    for (LayerDigests layer : layers) {
      try (var in = Files.newInputStream(blobs.resolve(layer.digest().encoded()))) {
        LayerExtractor.extract(in, ours, ExtractOptions.forCurrentUser());
      }
    }

    List<String> expected = TestTrees.describe(ours, false);
    assertThat(expected).anyMatch(line -> line.startsWith("opq/new "));
    assertThat(expected).noneMatch(line -> line.startsWith("opq/sub") || line.startsWith("etc/conf.d"));
    assertThat(TestTrees.describe(bundle.resolve("rootfs"), false)).isEqualTo(expected);
  }

  private static LayerDigests writeBlob(Path blobs, ChangeSet changes, Compression compression)
      throws IOException {
    Path partial = blobs.resolve("partial");
    LayerDigests digests;
    try (OutputStream out = Files.newOutputStream(partial)) {
      digests =
          LayerWriter.write(
              changes,
              LayerWriteOptions.defaults()
                  .withCompression(compression, -1)
                  .withTimestamps(TimestampPolicy.clamp(TIME)),
              out);
    }
    Files.move(partial, blobs.resolve(digests.digest().encoded()));
    return digests;
  }

  private static void writeImage(Path layout, Path blobs, List<LayerDigests> layers)
      throws IOException {
    StringBuilder diffIds = new StringBuilder();
    StringBuilder layerDescriptors = new StringBuilder();
    for (LayerDigests layer : layers) {
      diffIds.append(diffIds.isEmpty() ? "" : ",").append('"').append(layer.diffId()).append('"');
      layerDescriptors
          .append(layerDescriptors.isEmpty() ? "" : ",")
          .append(descriptor(layer.mediaType(), layer.digest(), layer.size()));
    }
    byte[] config =
        ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[" + diffIds + "]}}")
            .getBytes(StandardCharsets.UTF_8);
    Digest configDigest = blob(blobs, config);
    byte[] manifest =
        ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":"
                + descriptor("application/vnd.oci.image.config.v1+json", configDigest, config.length)
                + ",\"layers\":[" + layerDescriptors + "]}")
            .getBytes(StandardCharsets.UTF_8);
    Digest manifestDigest = blob(blobs, manifest);
    Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    Files.writeString(
        layout.resolve("index.json"),
        "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
            + "\"digest\":\"" + manifestDigest + "\",\"size\":" + manifest.length
            + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"test\"}}]}");
  }

  private static String descriptor(String mediaType, Digest digest, long size) {
    return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + size + "}";
  }

  private static Digest blob(Path blobs, byte[] content) throws IOException {
    Digest digest = Digest.sha256(content);
    Files.write(blobs.resolve(digest.encoded()), content);
    return digest;
  }
}
