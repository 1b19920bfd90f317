package io.slipway.build.run;

import io.slipway.build.snapshot.MountTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A root file system mounted with overlayfs: the snapshot's layers below, an empty upper directory
 * that collects the step's changes, with opaque directories rewritten as whiteouts once unmounted
 * ({@link OpaqueDirectories}). Confined to the step that created it.
 */
final class OverlayRootfs implements RootfsMount {

  private final Snapshot snapshot;
  private final Path directory;
  private final Path root;
  private final Path upper;
  private boolean mounted;

  private OverlayRootfs(Snapshot snapshot, Path directory, Path root, Path upper) {
    this.snapshot = snapshot;
    this.directory = directory;
    this.root = root;
    this.upper = upper;
  }

  static OverlayRootfs mount(Snapshot snapshot, Path directory)
      throws IOException, InterruptedException {
    Path upper = Files.createDirectory(directory.resolve("upper"));
    Path work = Files.createDirectory(directory.resolve("work"));
    Path root = Files.createDirectory(directory.resolve("rootfs"));
    // The merged root directory takes its attributes from the upper directory.
    UnixAttributes.of(snapshot.layers().getFirst()).applyTo(upper);
    OverlayRootfs result = new OverlayRootfs(snapshot, directory, root, upper);
    RootfsMount.mountOverlay(snapshot.layers(), upper, work, root);
    result.mounted = true;
    return result;
  }

  @Override
  public Path root() {
    return root;
  }

  @Override
  public Path changesDirectory() {
    return upper;
  }

  @Override
  public boolean isOverlay() {
    return true;
  }

  @Override
  public LayerChanges changes() throws IOException, InterruptedException {
    if (mounted) {
      throw new IllegalStateException("unmount the root file system before reading its changes");
    }
    OpaqueDirectories.expand(upper, snapshot, directory.resolve("lower"));
    return new LayerChanges.OverlayUpper(upper);
  }

  @Override
  public void unmount() throws IOException {
    if (mounted) {
      // The step knows its mount point: one umount2(2), no reading of the mount table.
      MountTable.unmount(root);
      mounted = false;
    }
  }
}
