package io.slipway.build.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

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
  LayerChanges changes() throws IOException;

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
   * {@code work} the mount is writable. Redirects, metacopy and the inode index are off, so an
   * upper directory is a plain layer directory that the layer writer understands and that can be a
   * lower layer later.
   */
  static void mountOverlay(List<Path> layers, Path upper, Path work, Path target)
      throws IOException, InterruptedException {
    StringBuilder options = new StringBuilder("lowerdir=");
    options.append(
        layers.stream().map(p -> escape(p.toAbsolutePath().toString()))
            .collect(Collectors.joining(":")));
    if (upper != null) {
      options.append(",upperdir=").append(escape(upper.toAbsolutePath().toString()));
      options.append(",workdir=").append(escape(work.toAbsolutePath().toString()));
    }
    options.append(",index=off,redirect_dir=off,metacopy=off");
    // The kernel takes mount options up to one page.
    if (options.length() >= 4096) {
      throw new IOException(
          "overlay mount options for " + layers.size() + " layers exceed one page ("
              + options.length() + " bytes); flatten the snapshot");
    }
    HostCommand.run(
        List.of("mount", "-t", "overlay", "overlay", "-o", options.toString(), target.toString()));
  }

  private static String escape(String path) {
    if (path.contains(",") || path.contains(":")) {
      throw new IllegalArgumentException("overlay layer path may not contain ',' or ':': " + path);
    }
    return path;
  }

  /** Copies {@code source}'s tree onto {@code target} keeping owners, modes, times, links. */
  static void copyTree(Path source, Path target) throws IOException, InterruptedException {
    Files.createDirectories(target);
    HostCommand.run(
        List.of("cp", "-a", "--reflink=auto", source.toString() + "/.", target.toString()));
  }
}
