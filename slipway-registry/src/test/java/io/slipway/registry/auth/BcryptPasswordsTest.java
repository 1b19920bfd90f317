package io.slipway.registry.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BcryptPasswordsTest {

  @Test
  void verifiesPublishedVectorsWhenPasswordMatches() {
    // Vectors of the OpenBSD bcrypt test suite, as every bcrypt implementation reproduces them.
    assertThat(BcryptPasswords.verify("".toCharArray(),
        "$2a$06$DCq7YPn5Rq63x1Lad4cll.TV4S6ytwfsfvkgY8jIucDrjc8deX1s.")).isTrue();
    assertThat(BcryptPasswords.verify("a".toCharArray(),
        "$2a$06$m0CrhHm10qJ3lXRY.5zDGO3rS2KdeeWLuGmsfGlMfOxih58VYVfxe")).isTrue();
    assertThat(BcryptPasswords.verify("abc".toCharArray(),
        "$2a$06$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i")).isTrue();
  }

  @Test
  void verifiesHtpasswdVersionWhenHashIs2y() {
    // htpasswd -B writes $2y$; the computation is the same as $2a$ for these inputs.
    assertThat(BcryptPasswords.verify("abc".toCharArray(),
        "$2y$06$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i")).isTrue();
  }

  @Test
  void rejectsWhenPasswordIsWrongOrHashMalformed() {
    assertThat(BcryptPasswords.verify("abd".toCharArray(),
        "$2a$06$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i")).isFalse();
    assertThat(BcryptPasswords.verify("abc".toCharArray(), "$apr1$xyz$abc")).isFalse();
  }

  @Test
  void hashesAsHtpasswdDoesWhenHashing() {
    String hash = BcryptPasswords.hash("s3cret".toCharArray(), 4);

    assertThat(hash).startsWith("$2y$04$").hasSize(60);
    assertThat(BcryptPasswords.verify("s3cret".toCharArray(), hash)).isTrue();
  }

  @Test
  void refusesToHashWhenPasswordIsLongerThanBcryptReads() {
    assertThatThrownBy(() -> BcryptPasswords.hash("x".repeat(73).toCharArray(), 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("73 bytes");
  }
}
