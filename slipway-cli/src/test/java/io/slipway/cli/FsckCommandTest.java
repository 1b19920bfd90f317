package io.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.oci.Digest;
import io.slipway.registry.RegistryConfig;
import io.slipway.registry.RegistryServer;
import io.slipway.store.blob.FileBlobStore;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class FsckCommandTest {
  @TempDir Path root;

  private final StringWriter out = new StringWriter();

  @BeforeEach
  void createRoot() throws Exception {
    try (RegistryServer server =
        RegistryServer.start(RegistryConfig.defaults(root).withAddress("127.0.0.1", 0))) {
      assertThat(server.port()).isPositive();
    }
  }

  /** fsck with no orphan grace, so a blob made a moment ago counts as an orphan. */
  private int fsck(String... extra) {
    String[] args = new String[extra.length + 2];
    args[0] = "--orphan-grace";
    args[1] = "0s";
    System.arraycopy(extra, 0, args, 2, extra.length);
    return fsckWithDefaultGrace(args);
  }

  private int fsckWithDefaultGrace(String... extra) {
    CommandLine command = SlipwayCommand.newCommandLine();
    command.setOut(new PrintWriter(out));
    command.setErr(new PrintWriter(new StringWriter()));
    String[] args = new String[extra.length + 3];
    args[0] = "fsck";
    args[1] = "--root";
    args[2] = root.toString();
    System.arraycopy(extra, 0, args, 3, extra.length);
    return command.execute(args);
  }

  private Digest storeOrphan() throws Exception {
    byte[] orphan = "orphan".getBytes(StandardCharsets.UTF_8);
    try (FileBlobStore store = FileBlobStore.open(root)) {
      return store.put(new ByteArrayInputStream(orphan), Digest.sha256(orphan), orphan.length);
    }
  }

  @Test
  void doesExitZeroWhenRootIsClean() {
    assertThat(fsck()).isZero();
    assertThat(out.toString()).contains("; clean");
  }

  @Test
  void doesExitTwoAndListOrphanWhenNotRepairing() throws Exception {
    Digest orphan = storeOrphan();

    assertThat(fsck()).isEqualTo(2);
    assertThat(out.toString()).contains("blob " + orphan + " (6 bytes) is referenced by nothing");
  }

  @Test
  void doesExitOneWhenEverythingIsRepaired() throws Exception {
    Digest orphan = storeOrphan();

    assertThat(fsck("--repair")).isEqualTo(1);
    assertThat(out.toString()).contains(orphan + " (6 bytes) is referenced by nothing; deleted");
    assertThat(fsck()).isZero();
  }

  @Test
  void doesLeaveAFreshUnreferencedBlobAloneByDefault() throws Exception {
    Digest fresh = storeOrphan();

    assertThat(fsckWithDefaultGrace("--repair")).as(out.toString()).isZero();
    assertThat(out.toString()).doesNotContain(fresh.toString());
    try (FileBlobStore store = FileBlobStore.open(root)) {
      assertThat(store.exists(fresh)).as("a blob pushed a moment ago, not yet linked").isTrue();
    }
  }
}
