package io.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.oci.Digest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TransferProgressTest {
  private final Digest digest = Digest.sha256(new byte[] {1, 2, 3});

  @Test
  void doesPrintPlainLinesWhenNotOnATerminal() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    TransferProgress progress =
        new TransferProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
    progress.started(digest, 3 << 20, "push");
    progress.progressed(digest, 3 << 20);
    progress.finished(digest);
    progress.close();
    assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(
        "push sha256:" + digest.encoded().substring(0, 12) + " (3.0 MiB)\n"
            + "done sha256:" + digest.encoded().substring(0, 12) + "\n");
  }

  @Test
  void doesRedrawOneLineWhenOnATerminal() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    TransferProgress progress =
        new TransferProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
    progress.started(digest, 2048, "pull");
    progress.finished(digest);
    progress.close();
    String shown = bytes.toString(StandardCharsets.UTF_8);
    assertThat(shown).contains("\r1/1 blobs  2.0 KiB / 2.0 KiB").doesNotContain("done ");
    assertThat(shown).endsWith("\n");
  }
}
