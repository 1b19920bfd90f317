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

class RepositoryNameTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a",
        "busybox",
        "library/busybox",
        "a/b/c/d/e",
        "foo.bar",
        "foo_bar",
        "foo__bar",
        "foo-bar",
        "foo---bar",
        "f0o/8ar",
        "0",
        "a.b_c__d-e--f"
      })
  void acceptsWhenNameFollowsGrammar(String name) {
    assertThat(RepositoryName.parse(name).value()).isEqualTo(name);
    assertThat(RepositoryName.isValid(name)).isTrue();
  }

  @Test
  void acceptsWhenNameIsExactlyMaxLength() {
    String name = "a".repeat(127) + "/" + "b".repeat(127);

    assertThat(name).hasSize(RepositoryName.MAX_LENGTH);
    assertThat(RepositoryName.isValid(name)).isTrue();
  }

  static Stream<Arguments> invalidNames() {
    String rule =
        "\" must be lowercase letters and digits separated by \".\", \"_\", \"__\" or \"-\"";
    return Stream.of(
        Arguments.of("", "repository name is empty"),
        Arguments.of("Library/busybox", "repository name must be lowercase"),
        Arguments.of("library/BusyBox", "repository name must be lowercase"),
        Arguments.of("/busybox", "repository name has an empty path component"),
        Arguments.of("busybox/", "repository name has an empty path component"),
        Arguments.of("a//b", "repository name has an empty path component"),
        Arguments.of("foo___bar", "path component \"foo___bar" + rule),
        Arguments.of("foo.-bar", "path component \"foo.-bar" + rule),
        Arguments.of("foo._bar", "path component \"foo._bar" + rule),
        Arguments.of(".foo", "path component \".foo" + rule),
        Arguments.of("foo.", "path component \"foo." + rule),
        Arguments.of("_foo", "path component \"_foo" + rule),
        Arguments.of("foo:bar", "path component \"foo:bar" + rule),
        Arguments.of("foo bar", "path component \"foo bar" + rule),
        Arguments.of("föo", "path component \"föo" + rule),
        Arguments.of(
            "a".repeat(256), "repository name must not be more than 255 characters, got 256"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidNames")
  void rejectsWithExactMessageWhenNameIsInvalid(String name, String reason) {
    assertThatThrownBy(() -> RepositoryName.parse(name))
        .isInstanceOfSatisfying(
            InvalidReferenceException.class,
            e -> {
              assertThat(e.getMessage())
                  .isEqualTo("invalid repository name \"" + name + "\": " + reason);
              assertThat(e.part()).isEqualTo(Part.REPOSITORY);
            });
    assertThat(RepositoryName.isValid(name)).isFalse();
  }

  @Test
  void rejectsWhenNameIsNull() {
    assertThatThrownBy(() -> RepositoryName.parse(null))
        .hasMessage("invalid repository name \"null\": repository name is empty");
    assertThat(RepositoryName.isValid(null)).isFalse();
  }

  @Test
  void splitsIntoComponentsWhenAsked() {
    assertThat(RepositoryName.parse("library/busybox").components())
        .containsExactly("library", "busybox");
  }
}
