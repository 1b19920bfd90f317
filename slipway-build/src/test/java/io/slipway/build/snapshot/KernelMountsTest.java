package io.slipway.build.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelMountsTest {

  @TempDir Path work;

  @Test
  void mountingAtAMissingTargetNamesTheTargetAndTheError() {
    Path missing = work.resolve("nowhere");
    assertThatThrownBy(() -> KernelMounts.mountOverlay(
            "lowerdir=" + work + ":" + work, true, missing))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("mounting an overlay at " + missing)
        .hasMessageMatching(".*(ENOENT|EPERM).*");
    assertThat(missing).doesNotExist();
  }

  @Test
  void unmountingWhatIsNotMountedReportsTheErrno() throws IOException {
    // EINVAL as root (not a mount point), EPERM otherwise: either way an errno, not an exception.
    assertThat(KernelMounts.unmount(work, false)).isIn(22, 1);
  }

  @Test
  void mountsAndUnmountsAReadOnlyOverlayWithSystemCalls() throws Exception {
    assumeTrue(Files.getAttribute(Path.of("/proc/self"), "unix:uid").equals(0), "needs root");
    assumeTrue(OverlayMount.unusableReason(work.resolve("probe")).isEmpty(),
        "overlayfs does not work here");
    Path top = Files.createDirectory(work.resolve("top"));
    Path bottom = Files.createDirectory(work.resolve("bottom"));
    Files.writeString(top.resolve("a"), "top");
    Files.writeString(bottom.resolve("a"), "bottom");
    Files.writeString(bottom.resolve("b"), "bottom");
    Path view = Files.createDirectory(work.resolve("view"));

    OverlayMount.mount(List.of(top, bottom), null, null, view);
    try {
      assertThat(MountTable.mountPointsUnder(work)).containsExactly(view);
      assertThat(view.resolve("a")).hasContent("top");
      assertThat(view.resolve("b")).hasContent("bottom");
      // Read-only came through as the flag, not as an option overlayfs would reject.
      assertThatThrownBy(() -> Files.writeString(view.resolve("c"), "x"))
          .isInstanceOf(IOException.class);
    } finally {
      MountTable.unmount(view);
    }
    assertThat(MountTable.mountPointsUnder(work)).isEmpty();
    // Unmounting twice is fine: the point is simply no longer mounted.
    MountTable.unmount(view);
  }
}
