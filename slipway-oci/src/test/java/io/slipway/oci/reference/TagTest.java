package io.slipway.oci.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.oci.reference.InvalidReferenceException.Part;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class TagTest {

  @ParameterizedTest
  @ValueSource(strings = {"latest", "1.36", "_", "A", "v1.2.3-rc.1_build", "9", "a-", "a.", "__"})
  void acceptsWhenTagFollowsGrammar(String tag) {
    assertThat(Tag.parse(tag).value()).isEqualTo(tag);
    assertThat(Tag.isValid(tag)).isTrue();
  }

  @Test
  void acceptsWhenTagIsExactlyMaxLength() {
    assertThat(Tag.isValid("t".repeat(Tag.MAX_LENGTH))).isTrue();
  }

  static Stream<Arguments> invalidTags() {
    String rule =
        "\" may only hold letters, digits, \"_\", \".\" and \"-\", and must not start with \".\""
            + " or \"-\"";
    return Stream.of(
        Arguments.of("", "tag is empty"),
        Arguments.of("-a", "tag \"-a" + rule),
        Arguments.of(".a", "tag \".a" + rule),
        Arguments.of("a:b", "tag \"a:b" + rule),
        Arguments.of("a/b", "tag \"a/b" + rule),
        Arguments.of("a b", "tag \"a b" + rule),
        Arguments.of("a+b", "tag \"a+b" + rule),
        Arguments.of("sha256@x", "tag \"sha256@x" + rule),
        Arguments.of("t".repeat(129), "tag must not be more than 128 characters, got 129"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidTags")
  void rejectsWithExactMessageWhenTagIsInvalid(String tag, String reason) {
    assertThatThrownBy(() -> Tag.parse(tag))
        .isInstanceOfSatisfying(
            InvalidReferenceException.class,
            e -> {
              assertThat(e.getMessage()).isEqualTo("invalid tag \"" + tag + "\": " + reason);
              assertThat(e.part()).isEqualTo(Part.TAG);
            });
    assertThat(Tag.isValid(tag)).isFalse();
  }

  @Test
  void ordersByValueWhenCompared() {
    assertThat(Tag.parse("a")).isLessThan(Tag.parse("b"));
    assertThat(Tag.LATEST).isEqualTo(Tag.parse("latest"));
  }
}
