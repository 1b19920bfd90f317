package io.slipway.cli.buildserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BuildServerRequestTest {
  private static final BuildServerRequest REQUEST = new BuildServerRequest("jar 1 2",
      List.of("--secret", "id=a,src=ä.txt", ""), Path.of("/work/ctx"),
      Map.of("HOME", "/root", "EMPTY", ""), true, 132);

  @Test
  void doesReadWhatItWroteWhenRoundTripped() throws IOException {
    assertThat(BuildServerRequest.decode(REQUEST.encode())).isEqualTo(REQUEST);
  }

  @Test
  void doesRefuseRelativeWorkingDirectoryWhenMade() {
    assertThatThrownBy(() -> new BuildServerRequest("b", List.of(), Path.of("rel"), Map.of(),
        false, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("working directory must be absolute: rel");
  }

  @Test
  void doesNameTruncationWhenRequestIsCut() {
    byte[] bytes = REQUEST.encode();
    assertThatThrownBy(() -> BuildServerRequest.decode(Arrays.copyOf(bytes, bytes.length - 3)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("build server request");
  }

  @Test
  void doesNameTrailingBytesWhenRequestIsLonger() {
    byte[] bytes = Arrays.copyOf(REQUEST.encode(), REQUEST.encode().length + 2);
    assertThatThrownBy(() -> BuildServerRequest.decode(bytes))
        .isInstanceOf(IOException.class)
        .hasMessage("build server request: 2 bytes after its end");
  }

  @Test
  void doesRefuseOtherProtocolWhenVersionsDiffer() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new DataOutputStream(bytes).writeInt(BuildServerRequest.PROTOCOL + 1);
    assertThatThrownBy(() -> BuildServerRequest.decode(bytes.toByteArray()))
        .isInstanceOf(IOException.class)
        .hasMessage("build server protocol " + (BuildServerRequest.PROTOCOL + 1) + " is not "
            + BuildServerRequest.PROTOCOL);
  }

  @Test
  void doesRefuseHugeCountsWhenRequestIsHostile() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(BuildServerRequest.PROTOCOL);
    out.writeInt(1);
    out.write('b');
    out.writeInt(1);
    out.write('/');
    out.writeInt(Integer.MAX_VALUE);
    assertThatThrownBy(() -> BuildServerRequest.decode(bytes.toByteArray()))
        .isInstanceOf(IOException.class)
        .hasMessage("build server request: " + Integer.MAX_VALUE + " entries (at most 100000)");
  }

  @Test
  void doesRefuseStringLongerThanRequestWhenLengthLies() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(BuildServerRequest.PROTOCOL);
    out.writeInt(1_000);
    out.write('b');
    assertThatThrownBy(() -> BuildServerRequest.decode(bytes.toByteArray()))
        .isInstanceOf(IOException.class)
        .hasMessage("build server request: a string of 1000 bytes where 1 remain");
  }
}
