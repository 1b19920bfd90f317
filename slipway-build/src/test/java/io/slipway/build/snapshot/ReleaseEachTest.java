package io.slipway.build.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReleaseEachTest {

  @Test
  void releasesEveryItemAndThrowsTheFirstFailureWithTheLaterOnesSuppressed() {
    List<String> released = new ArrayList<>();

    assertThatThrownBy(() -> ReleaseEach.of(List.of("a", "b", "c", "d"), item -> {
      released.add(item);
      if (item.equals("b") || item.equals("d")) {
        throw new IOException("cannot release " + item);
      }
    }))
        .isInstanceOf(IOException.class)
        .hasMessage("cannot release b")
        .satisfies(e -> assertThat(e.getSuppressed()).extracting(Throwable::getMessage)
            .containsExactly("cannot release d"));
    assertThat(released).containsExactly("a", "b", "c", "d");
  }

  @Test
  void returnsQuietlyWhenEveryReleaseSucceeds() throws IOException {
    List<String> released = new ArrayList<>();

    ReleaseEach.of(List.of("a", "b"), released::add);

    assertThat(released).containsExactly("a", "b");
  }
}
