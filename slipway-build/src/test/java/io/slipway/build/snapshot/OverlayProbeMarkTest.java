package io.slipway.build.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OverlayProbeMarkTest {

  @TempDir Path dir;

  @Test
  void holdsForTheBootThatRecordedIt() throws Exception {
    OverlayProbeMark.record(dir, "boot-1");

    assertThat(OverlayProbeMark.holds(dir, "boot-1")).isTrue();
    assertThat(dir).isDirectoryNotContaining(p -> !p.getFileName().toString()
        .equals(OverlayProbeMark.FILE));
  }

  @Test
  void doesNotHoldAfterAReboot() throws Exception {
    OverlayProbeMark.record(dir, "boot-1");

    assertThat(OverlayProbeMark.holds(dir, "boot-2")).isFalse();
  }

  @Test
  void doesNotHoldWithoutAMark() throws Exception {
    assertThat(OverlayProbeMark.holds(dir, "boot-1")).isFalse();
  }

  @Test
  void doesNotHoldForAMarkMadeOnAnotherDevice() throws Exception {
    // As a root copied from elsewhere, or another file system mounted over the directory.
    Files.writeString(dir.resolve(OverlayProbeMark.FILE), "boot boot-1 device 1\n");

    assertThat(OverlayProbeMark.holds(dir, "boot-1")).isFalse();
  }

  @Test
  void doesNotHoldForATornMark() throws Exception {
    Files.writeString(dir.resolve(OverlayProbeMark.FILE), "boot boo");

    assertThat(OverlayProbeMark.holds(dir, "boot-1")).isFalse();
  }

  @Test
  void readsThisBootsIdFromTheKernel() throws Exception {
    assertThat(OverlayProbeMark.currentBoot()).hasValue(
        Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip());
  }

  @Test
  void aDirectoryThatCannotTakeAMarkOnlyMeansAnotherProbe() throws Exception {
    Path missing = dir.resolve("gone");

    OverlayProbeMark.record(missing, "boot-1");

    assertThat(OverlayProbeMark.holds(missing, "boot-1")).isFalse();
  }

  @Test
  void anUnreadableMarkDoesNotHold() throws Exception {
    Files.createDirectory(dir.resolve(OverlayProbeMark.FILE));

    assertThat(OverlayProbeMark.holds(dir, "boot-1")).isFalse();
  }
}
