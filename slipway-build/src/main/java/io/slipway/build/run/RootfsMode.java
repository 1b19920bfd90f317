package io.slipway.build.run;

import io.slipway.build.snapshot.OverlayMount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How a RUN step gets a writable root file system over its read-only snapshot. Immutable.
 */
public enum RootfsMode {
  /**
   * An overlayfs mount: the snapshot's layers as lower directories and an empty upper directory
   * that collects exactly the step's changes. Needs root and overlay support in the kernel.
   */
  OVERLAY,
  /**
   * A full copy of a one-directory snapshot, compared with it after the step. Works everywhere,
   * costs a copy per step.
   */
  COPY;

  /**
   * {@link #OVERLAY} when running as root and a test overlay mounts in {@code stateDirectory}
   * (the same probe the snapshotter makes, so the two agree), else {@link #COPY}.
   */
  public static RootfsMode detect(Path stateDirectory) {
    if (!isRoot()) {
      return COPY;
    }
    try {
      return OverlayMount.unusableReason(stateDirectory).isEmpty() ? OVERLAY : COPY;
    } catch (IOException e) {
      return COPY;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return COPY;
    }
  }

  static boolean isRoot() {
    try {
      Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
      return uid instanceof Integer i && i == 0;
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }
}
