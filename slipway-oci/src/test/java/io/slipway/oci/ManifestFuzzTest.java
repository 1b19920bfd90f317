package io.slipway.oci;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ManifestFuzzTest {

  private static final byte[] SEED =
      ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
              + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\","
              + "\"digest\":\"sha256:b5bb9d8014a0f9b1d61e21e796d78dccdf1352f23cd32812f4850b878ae4944c\","
              + "\"size\":7023},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\","
              + "\"digest\":\"sha256:7d865e959b2466918c9863afca942d0fb89d7c9ac0c99bafc3749504ded97730\","
              + "\"size\":32654,\"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\"}}],"
              + "\"subject\":{\"mediaType\":\"a/b\",\"digest\":"
              + "\"sha256:7d865e959b2466918c9863afca942d0fb89d7c9ac0c99bafc3749504ded97730\",\"size\":1},"
              + "\"annotations\":{\"k\":\"v\"}}")
          .getBytes(StandardCharsets.UTF_8);

  private static final byte[] INSERTS = "{}[]\",:0123456789-.etrufnal\\ ".getBytes(StandardCharsets.UTF_8);

  private static byte[] mutate(Random random) {
    byte[] bytes = SEED.clone();
    int edits = 1 + random.nextInt(4);
    for (int i = 0; i < edits; i++) {
      int at = random.nextInt(bytes.length);
      switch (random.nextInt(3)) {
        case 0 -> bytes[at] = INSERTS[random.nextInt(INSERTS.length)];
        case 1 -> {
          byte[] shorter = new byte[bytes.length - 1];
          System.arraycopy(bytes, 0, shorter, 0, at);
          System.arraycopy(bytes, at + 1, shorter, at, bytes.length - at - 1);
          bytes = shorter;
        }
        default -> {
          byte[] longer = new byte[bytes.length + 1];
          System.arraycopy(bytes, 0, longer, 0, at);
          longer[at] = INSERTS[random.nextInt(INSERTS.length)];
          System.arraycopy(bytes, at, longer, at + 1, bytes.length - at);
          bytes = longer;
        }
      }
    }
    return bytes;
  }

  @Test
  void eitherParsesOrRejectsWithInvalidManifestWhenBytesAreCorrupted() {
    Random random = new Random(1124L);
    List<String> types =
        List.of(MediaTypes.OCI_MANIFEST, MediaTypes.OCI_INDEX, "application/x-unknown");
    int parsed = 0;
    for (int i = 0; i < 4_000; i++) {
      byte[] bytes = mutate(random);
      ManifestBytes manifest = ManifestBytes.of(bytes, types.get(i % types.size()));
      try {
        Manifest view = manifest.manifest();
        parsed++;
        assertThat(view.references()).doesNotContainNull();
        assertThat(manifest.bytes()).isEqualTo(bytes);
      } catch (InvalidManifestException e) {
        assertThat(e.getMessage()).startsWith("invalid manifest: ");
      }
    }
    assertThat(parsed).as("mutations that still parse").isGreaterThan(20);
  }
}
