package io.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgressModeTest {

  private static final Map<String, String> XTERM = Map.of("TERM", "xterm-256color");

  @Test
  void autoIsLiveOnlyOnATerminalThatCanMoveItsCursor() {
    assertThat(ProgressMode.parse("auto").live(true, XTERM)).isTrue();
    assertThat(ProgressMode.parse("auto").live(false, XTERM)).isFalse();
    assertThat(ProgressMode.parse("auto").live(true, Map.of("TERM", "dumb"))).isFalse();
    assertThat(ProgressMode.parse("auto").live(true, Map.of())).isFalse();
  }

  @Test
  void ttyForcesAndPlainRefusesTheLiveDisplay() {
    assertThat(ProgressMode.parse("TTY").live(false, Map.of("TERM", "dumb"))).isTrue();
    assertThat(ProgressMode.parse("plain").live(true, XTERM)).isFalse();
  }

  @Test
  void rejectsAnUnknownModeNamingIt() {
    assertThatThrownBy(() -> ProgressMode.parse("fancy"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("invalid --progress \"fancy\": use auto, plain or tty");
  }
}
