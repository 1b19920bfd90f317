package io.slipway.build.run;

import io.slipway.build.snapshot.HostCommand;
import io.slipway.build.snapshot.OverlayMount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A writable root file system over a read-only {@link Snapshot}, for one step: {@link #root()} is
 * what the container sees, and after the container is gone and the root is unmounted,
 * {@link #changes()} yields the step's {@link LayerChanges}. Lives in a directory the caller gives it (on the same file system as the
 * snapshot and the place the changes will move to) and removes nothing outside it.
 *
 * <p>Not safe for concurrent use: one step owns it.
 */
public sealed interface RootfsMount permits OverlayRootfs, CopiedRootfs {

  /** The merged tree the container runs in. */
  Path root();

  /**
   * Where the step's changes accumulate: the overlay upper directory, or the copied root. Edit it
   * only after {@link #unmount()}.
   */
  Path changesDirectory();

  /** True when {@link #changesDirectory()} is an overlay upper directory. */
  boolean isOverlay();

  /**
   * The step's changes; call after {@link #unmount()}. For a copy this compares the tree with the
   * snapshot and prunes it to the changes, so call it once.
   */
  LayerChanges changes() throws IOException, InterruptedException;

  /** Unmounts if still mounted; safe to call more than once. Runs even when interrupted. */
  void unmount() throws IOException;

  /**
   * Prepares a root over {@code snapshot} in {@code directory}, which must exist and be empty.
   *
   * @throws IllegalArgumentException for {@link RootfsMode#COPY} with a snapshot of several layers
   */
  static RootfsMount prepare(RootfsMode mode, Snapshot snapshot, Path directory)
      throws IOException, InterruptedException {
    return switch (mode) {
      case OVERLAY -> OverlayRootfs.mount(snapshot, directory);
      case COPY -> CopiedRootfs.copy(snapshot, directory);
    };
  }

  /**
   * Mounts {@code layers} (topmost first) at {@code target} with overlayfs; with {@code upper} and
   * {@code work} the mount is writable. See {@link OverlayMount#mount}.
   */
  static void mountOverlay(List<Path> layers, Path upper, Path work, Path target)
      throws IOException, InterruptedException {
    OverlayMount.mount(layers, upper, work, target);
  }

  /** Copies {@code source}'s tree onto {@code target} keeping owners, modes, times, links. */
  static void copyTree(Path source, Path target) throws IOException, InterruptedException {
    Files.createDirectories(target);
    HostCommand.run(
        List.of("cp", "-a", "--reflink=auto", source.toString() + "/.", target.toString()));
  }
}
