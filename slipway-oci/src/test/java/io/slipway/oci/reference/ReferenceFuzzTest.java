package io.slipway.oci.reference;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ReferenceFuzzTest {

  private static final String ALPHABET = "ab09AZ._-/:@[]x";
  private static final String[] PIECES = {
    "docker.io/", "localhost:5000/", "ghcr.io/", "library/", "busybox", ":latest", ":1.36",
    "@sha256:" + "a".repeat(64), "@sha512:" + "b".repeat(128), "__", "--", "//", "::", "[::1]",
    "index.docker.io/", "a".repeat(64), "Upper"
  };

  private static String randomReference(Random random) {
    StringBuilder text = new StringBuilder();
    int parts = random.nextInt(6);
    for (int i = 0; i < parts; i++) {
      if (random.nextBoolean()) {
        text.append(PIECES[random.nextInt(PIECES.length)]);
      } else {
        text.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
      }
    }
    return text.toString();
  }

  @Test
  void eitherNormalizesStablyOrRejectsWithTypedErrorWhenInputIsRandom() {
    Random random = new Random(20261124L);
    int accepted = 0;
    for (int i = 0; i < 10_000; i++) {
      String input = randomReference(random);
      Reference reference;
      try {
        reference = Reference.parse(input);
      } catch (InvalidReferenceException e) {
        assertThat(e.getMessage()).as(input).startsWith("invalid reference \"" + input + "\": ");
        assertThat(e.input()).isEqualTo(input);
        continue;
      }
      accepted++;
      // The normalized form is itself valid and normalizes to itself.
      assertThat(Reference.parse(reference.toString())).as(input).isEqualTo(reference);
      assertThat(reference.name().length()).as(input).isLessThanOrEqualTo(255);
      assertThat(RepositoryName.isValid(reference.repository().value())).as(input).isTrue();
    }
    assertThat(accepted).as("accepted inputs").isGreaterThan(200);
  }
}
