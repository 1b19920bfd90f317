package io.slipway.store.layer;

/**
 * What {@link LayerExtractor} may do beyond creating files: set owners ({@code chown}), create
 * device nodes, set extended attributes. Immutable.
 *
 * @param sameOwner give entries their recorded uid/gid (needs root)
 * @param devices create character and block devices (needs root); otherwise they are skipped
 * @param xattrs set extended attributes where the filesystem and privileges allow
 * @param overlayFormat write the layer as an overlayfs lower directory of its own instead of
 *     applying it to the tree below: a whiteout becomes a character device 0/0, an opaque marker
 *     sets {@code trusted.overlay.opaque=y}, and {@code trusted.overlay.*} attributes the layer
 *     itself carries are dropped so that a layer cannot steer overlayfs (needs root)
 */
public record ExtractOptions(
    boolean sameOwner, boolean devices, boolean xattrs, boolean overlayFormat) {

  /** Options that apply the layer to the tree below (not overlay format). */
  public ExtractOptions(boolean sameOwner, boolean devices, boolean xattrs) {
    this(sameOwner, devices, xattrs, false);
  }

  /** These options, writing overlayfs lower-directory format. */
  public ExtractOptions inOverlayFormat() {
    return new ExtractOptions(sameOwner, devices, xattrs, true);
  }

  /** Everything the current process may do: owners and devices only when running as root. */
  public static ExtractOptions forCurrentUser() {
    boolean root = NativeFiles.isRoot();
    return new ExtractOptions(root, root, true);
  }
}
