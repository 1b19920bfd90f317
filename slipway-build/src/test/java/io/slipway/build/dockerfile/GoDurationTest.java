package io.slipway.build.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GoDurationTest {

  @Test
  void parsesCompoundAndFractionalDurations() {
    assertThat(GoDuration.parse("1h30m")).contains(Duration.ofMinutes(90));
    assertThat(GoDuration.parse("1.5s")).contains(Duration.ofMillis(1500));
    assertThat(GoDuration.parse("250ms")).contains(Duration.ofMillis(250));
    assertThat(GoDuration.parse("10us")).contains(Duration.ofNanos(10_000));
    assertThat(GoDuration.parse("0")).contains(Duration.ZERO);
    assertThat(GoDuration.parse("-2s")).contains(Duration.ofSeconds(-2));
  }

  @Test
  void rejectsTextWhenUnitMissingOrUnknown() {
    assertThat(GoDuration.parse("30")).isEmpty();
    assertThat(GoDuration.parse("5d")).isEmpty();
    assertThat(GoDuration.parse("")).isEmpty();
    assertThat(GoDuration.parse("1..2s")).isEmpty();
  }

  @Test
  void formatsLikeGo() {
    assertThat(GoDuration.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
    assertThat(GoDuration.format(Duration.ofMillis(500))).isEqualTo("500ms");
    assertThat(GoDuration.format(Duration.ofHours(2))).isEqualTo("2h0m0s");
    assertThat(GoDuration.format(Duration.ZERO)).isEqualTo("0s");
  }
}
