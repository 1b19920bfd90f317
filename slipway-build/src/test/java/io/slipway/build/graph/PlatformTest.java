package io.slipway.build.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PlatformTest {

  @Test
  void normalisesArchitectureAliases() {
    assertThat(Platform.parse("linux/x86_64")).isEqualTo(new Platform("linux", "amd64", ""));
    assertThat(Platform.parse("linux/aarch64")).isEqualTo(new Platform("linux", "arm64", ""));
    assertThat(Platform.parse("linux/arm64/v8")).isEqualTo(new Platform("linux", "arm64", ""));
    assertThat(Platform.parse("linux/arm")).isEqualTo(new Platform("linux", "arm", "v7"));
    assertThat(Platform.parse("arm64").toString()).isEqualTo("linux/arm64");
    assertThat(Platform.parse("linux/arm/v6").toString()).isEqualTo("linux/arm/v6");
  }

  @Test
  void rejectsPlatformWhenTooManyParts() {
    assertThatThrownBy(() -> Platform.parse("linux/amd64/v2/x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "invalid platform \"linux/amd64/v2/x\": use os/arch[/variant], such as linux/arm64");
  }
}
