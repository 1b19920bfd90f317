package io.slipway.build.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChmodTest {

  @Test
  void acceptsOctalModesUpToFourDigits() {
    assertThat(Chmod.isValid("755")).isTrue();
    assertThat(Chmod.isValid("0644")).isTrue();
    assertThat(Chmod.isValid("4755")).isTrue();
    assertThat(Chmod.isOctal("u+x")).isFalse();
  }

  @Test
  void acceptsSymbolicModesLikeChmod() {
    assertThat(Chmod.isValid("u+x")).isTrue();
    assertThat(Chmod.isValid("go-w")).isTrue();
    assertThat(Chmod.isValid("a=rX,u+s")).isTrue();
    assertThat(Chmod.isValid("u=rw,go=r")).isTrue();
    assertThat(Chmod.isValid("g=u")).isTrue();
  }

  @Test
  void rejectsModesWhenMalformed() {
    assertThat(Chmod.isValid("888")).isFalse();
    assertThat(Chmod.isValid("07777")).isFalse();
    assertThat(Chmod.isValid("u+q")).isFalse();
    assertThat(Chmod.isValid("x")).isFalse();
    assertThat(Chmod.isValid("")).isFalse();
    assertThat(Chmod.isValid("u+x,")).isFalse();
  }
}
