package io.slipway.store.layer;

/**
 * What {@link LayerExtractor} may do beyond creating files: set owners ({@code chown}), create
 * device nodes, set extended attributes. Immutable.
 *
 * @param sameOwner give entries their recorded uid/gid (needs root)
 * @param devices create character and block devices (needs root); otherwise they are skipped
 * @param xattrs set extended attributes where the filesystem and privileges allow
 */
public record ExtractOptions(boolean sameOwner, boolean devices, boolean xattrs) {

  /** Everything the current process may do: owners and devices only when running as root. */
  public static ExtractOptions forCurrentUser() {
    boolean root = NativeFiles.isRoot();
    return new ExtractOptions(root, root, true);
  }
}
