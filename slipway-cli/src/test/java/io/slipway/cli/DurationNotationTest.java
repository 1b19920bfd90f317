package io.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationNotationTest {

  @Test
  void doesAddUnitsWhenValueCombinesThem() {
    assertThat(DurationNotation.parse("1h30m")).contains(Duration.ofMinutes(90));
    assertThat(DurationNotation.parse(" 90s ")).contains(Duration.ofSeconds(90));
    assertThat(DurationNotation.parse("250ms")).contains(Duration.ofMillis(250));
    assertThat(DurationNotation.parse("0s")).contains(Duration.ZERO);
  }

  @Test
  void doesRejectValueWhenAUnitIsMissingOrUnknown() {
    assertThat(DurationNotation.parse("")).isEmpty();
    assertThat(DurationNotation.parse("30")).isEmpty();
    assertThat(DurationNotation.parse("1h30")).isEmpty();
    assertThat(DurationNotation.parse("2d")).isEmpty();
    assertThat(DurationNotation.parse("-5s")).isEmpty();
  }

  @Test
  void doesNameFlagAndValueWhenFlagValueIsNotADuration() {
    assertThat(DurationNotation.ofFlag("--idle-timeout", "3h")).isEqualTo(Duration.ofHours(3));
    assertThatThrownBy(() -> DurationNotation.ofFlag("--idle-timeout", "soon"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--idle-timeout: \"soon\" is not a duration such as 168h, 30m or 90s");
  }
}
