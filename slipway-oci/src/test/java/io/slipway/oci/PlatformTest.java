package io.slipway.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class PlatformTest {

  @ParameterizedTest
  @CsvSource({
    "linux/amd64, linux, amd64, ",
    "linux/arm64/v8, linux, arm64, v8",
    "Linux/ARM/V7, linux, arm, v7",
    "windows/amd64, windows, amd64, ",
    "linux/riscv64, linux, riscv64, ",
  })
  void parsesPartsWhenPlatformIsWellFormed(String text, String os, String arch, String variant) {
    Platform platform = Platform.parse(text);

    assertThat(platform.os()).isEqualTo(os);
    assertThat(platform.architecture()).isEqualTo(arch);
    assertThat(platform.variant()).isEqualTo(variant);
  }

  static Stream<Arguments> invalidPlatforms() {
    return Stream.of(
        Arguments.of("", "invalid platform \"\": empty"),
        Arguments.of(
            "linux",
            "invalid platform \"linux\": expected os/architecture or os/architecture/variant,"
                + " such as linux/arm64/v8"),
        Arguments.of(
            "linux/arm/v7/extra",
            "invalid platform \"linux/arm/v7/extra\": expected os/architecture or"
                + " os/architecture/variant, such as linux/arm64/v8"),
        Arguments.of("/amd64", "invalid platform \"/amd64\": os is empty"),
        Arguments.of("linux/", "invalid platform \"linux/\": architecture is empty"),
        Arguments.of("linux/arm/", "invalid platform \"linux/arm/\": variant is empty"),
        Arguments.of(
            "linux/am d64",
            "invalid platform \"linux/am d64\": architecture \"am d64\" may only hold letters,"
                + " digits, \"_\", \".\" and \"-\""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidPlatforms")
  void rejectsWithExactMessageWhenPlatformIsMalformed(String text, String message) {
    assertThatThrownBy(() -> Platform.parse(text))
        .isInstanceOf(InvalidPlatformException.class)
        .hasMessage(message);
  }

  @ParameterizedTest
  @CsvSource({
    "linux/x86_64, linux/amd64",
    "linux/x86-64, linux/amd64",
    "linux/amd64/v1, linux/amd64",
    "linux/amd64/v3, linux/amd64/v3",
    "linux/aarch64, linux/arm64/v8",
    "linux/arm64, linux/arm64/v8",
    "linux/arm64/8, linux/arm64/v8",
    "linux/arm64/v8.0, linux/arm64/v8",
    "linux/arm64/v9, linux/arm64/v9",
    "linux/armhf, linux/arm/v7",
    "linux/armel, linux/arm/v6",
    "linux/arm, linux/arm/v7",
    "linux/arm/6, linux/arm/v6",
    "linux/i386, linux/386",
    "linux/i686, linux/386",
    "macos/arm64, darwin/arm64/v8",
    "linux/s390x, linux/s390x",
    "linux/ppc64le, linux/ppc64le",
  })
  void normalizesAliasesWhenAsked(String input, String normalized) {
    assertThat(Platform.parse(input).normalize()).hasToString(normalized);
  }

  @Test
  void isIdempotentWhenNormalizedTwice() {
    for (String text : List.of("linux/aarch64", "linux/armhf", "linux/x86_64/v1", "linux/arm64/9")) {
      Platform once = Platform.parse(text).normalize();
      assertThat(once.normalize()).as(text).isEqualTo(once);
    }
  }

  @ParameterizedTest
  @CsvSource({
    "linux/amd64, linux/x86_64, true",
    "linux/arm64, linux/arm64/v8, true",
    "linux/aarch64, linux/arm64/v8, true",
    "linux/arm64/v8, linux/arm64, true",
    "linux/arm, linux/arm/v7, true",
    "linux/arm/v7, linux/arm/v6, false",
    "linux/amd64, linux/arm64, false",
    "linux/amd64, windows/amd64, false",
    "linux/amd64/v3, linux/amd64, false",
  })
  void matchesOnlySameNormalizedPlatformWhenComparedExactly(
      String wanted, String candidate, boolean expected) {
    assertThat(Platform.parse(wanted).matches(Platform.parse(candidate))).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({
    "linux/arm/v7, linux/arm/v6, true",
    "linux/arm/v7, linux/arm/v5, true",
    "linux/arm/v6, linux/arm/v7, false",
    "linux/amd64/v3, linux/amd64, true",
    "linux/amd64/v3, linux/amd64/v2, true",
    "linux/amd64, linux/amd64/v2, false",
    "linux/arm64/v9, linux/arm64, true",
    "linux/arm64, linux/arm64/v9, false",
    "linux/arm64, linux/arm/v7, false",
    "linux/amd64, linux/386, false",
    "linux/amd64, darwin/amd64, false",
  })
  void runsOlderVariantsOfSameArchitectureWhenCompatible(
      String machine, String image, boolean expected) {
    assertThat(Platform.parse(machine).runs(Platform.parse(image))).isEqualTo(expected);
  }

  @Test
  void requiresSameWindowsBuildWhenOsVersionIsGiven() {
    Platform wanted = new Platform("windows", "amd64", null, "10.0.17763.1", List.of());

    assertThat(wanted.matches(new Platform("windows", "amd64", null, "10.0.17763.5329", List.of())))
        .isTrue();
    assertThat(wanted.matches(new Platform("windows", "amd64", null, "10.0.20348.1", List.of())))
        .isFalse();
    assertThat(wanted.matches(Platform.of("windows", "amd64"))).isFalse();
    assertThat(Platform.of("windows", "amd64").matches(wanted)).isTrue();
  }

  @Test
  void requiresAllOsFeaturesWhenFeaturesAreGiven() {
    Platform wanted = new Platform("windows", "amd64", null, null, List.of("win32k"));

    assertThat(wanted.matches(new Platform("windows", "amd64", null, null, List.of("win32k", "x"))))
        .isTrue();
    assertThat(wanted.matches(Platform.of("windows", "amd64"))).isFalse();
  }

  @Test
  void matchesNothingWhenParsedPlatformLacksOsOrArchitecture() {
    Platform incomplete =
        OciJson.read(
            "{\"architecture\":\"amd64\"}".getBytes(StandardCharsets.UTF_8),
            Platform.class,
            IllegalArgumentException::new);

    assertThat(incomplete.os()).isEmpty();
    assertThat(incomplete.matches(Platform.of("linux", "amd64"))).isFalse();
    assertThat(Platform.of("linux", "amd64").matches(incomplete)).isFalse();
  }

  @Test
  void writesOciFieldNamesWhenSerialized() {
    Platform platform =
        new Platform("windows", "amd64", null, "10.0.17763.1", List.of("win32k"));

    assertThat(new String(OciJson.canonicalBytes(platform), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"architecture\":\"amd64\",\"os\":\"windows\",\"os.version\":\"10.0.17763.1\","
                + "\"os.features\":[\"win32k\"]}");
  }

  @Test
  void readsOciFieldNamesWhenDeserialized() {
    Platform platform =
        OciJson.read(
            "{\"architecture\":\"arm\",\"os\":\"linux\",\"variant\":\"v7\",\"os.version\":\"\","
                    .concat("\"features\":[\"sse4\"]}")
                .getBytes(StandardCharsets.UTF_8),
            Platform.class,
            IllegalArgumentException::new);

    assertThat(platform).isEqualTo(Platform.of("linux", "arm", "v7"));
  }

  @Test
  void describesTheRunningJvmWhenAskedForRuntimePlatform() {
    Platform runtime = Platform.ofRuntime();

    assertThat(runtime.os()).isNotEmpty();
    assertThat(runtime.normalize()).isEqualTo(runtime);
  }
}
