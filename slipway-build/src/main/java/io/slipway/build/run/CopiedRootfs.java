package io.slipway.build.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.SortedSet;

/**
 * A root file system that is a full copy of a one-directory snapshot, compared with it after the
 * step. Used where overlayfs is not available. Confined to the step that created it.
 */
final class CopiedRootfs implements RootfsMount {

  private final Path lower;
  private final Path root;

  private CopiedRootfs(Path lower, Path root) {
    this.lower = lower;
    this.root = root;
  }

  static CopiedRootfs copy(Snapshot snapshot, Path directory)
      throws IOException, InterruptedException {
    if (!snapshot.isSingleDirectory()) {
      throw new IllegalArgumentException(
          "the copying root file system needs a snapshot of one complete directory, not "
              + snapshot.layers().size() + " layers");
    }
    Path lower = snapshot.layers().getFirst();
    Path root = directory.resolve("rootfs");
    RootfsMount.copyTree(lower, root);
    return new CopiedRootfs(lower, root);
  }

  @Override
  public Path root() {
    return root;
  }

  @Override
  public Path changesDirectory() {
    return root;
  }

  @Override
  public boolean isOverlay() {
    return false;
  }

  @Override
  public LayerChanges changes() throws IOException {
    SortedSet<String> deletions = CopyDiff.prune(lower, root);
    return new LayerChanges.Diff(root, deletions);
  }

  @Override
  public void unmount() {
    // Nothing is mounted: the copy is a plain directory.
  }
}
