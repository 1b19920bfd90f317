package io.slipway.build.prune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ByteSizeTest {

  @Test
  void readsSuffixesAsPowersOf1024() {
    assertThat(ByteSize.parse("1000")).isEqualTo(1000);
    assertThat(ByteSize.parse("12B")).isEqualTo(12);
    assertThat(ByteSize.parse("1KB")).isEqualTo(1024);
    assertThat(ByteSize.parse("1k")).isEqualTo(1024);
    assertThat(ByteSize.parse("512MB")).isEqualTo(512L << 20);
    assertThat(ByteSize.parse("10GB")).isEqualTo(10L << 30);
    assertThat(ByteSize.parse("1.5GiB")).isEqualTo(3L << 29);
    assertThat(ByteSize.parse("2TB")).isEqualTo(2L << 40);
  }

  @Test
  void rejectsWhatIsNotASize() {
    for (String bad : new String[] {"", "ten", "10XB", "-5MB", "10 Mi", "iB"}) {
      assertThatThrownBy(() -> ByteSize.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("invalid size \"" + bad + "\"");
    }
  }

  @Test
  void printsBinaryUnits() {
    assertThat(ByteSize.format(0)).isEqualTo("0 B");
    assertThat(ByteSize.format(1023)).isEqualTo("1023 B");
    assertThat(ByteSize.format(1536)).isEqualTo("1.5 KiB");
    assertThat(ByteSize.format(300L << 20)).isEqualTo("300 MiB");
    assertThat(ByteSize.format(10L << 30)).isEqualTo("10.0 GiB");
  }
}
