package io.slipway.store.layer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The two overlayfs markers a layer directory in overlay format holds, for code that edits such a
 * directory (an upper directory before it becomes a layer): a whiteout is a character device 0/0,
 * an opaque directory carries {@code trusted.overlay.opaque=y}. The same markers {@link
 * LayerExtractor} writes with {@link ExtractOptions#overlayFormat()} and {@link
 * LayerWriter#writeOverlayUpper} reads. Stateless; safe for concurrent use. Needs root.
 */
public final class OverlayFormat {

  private static final String OPAQUE = "trusted.overlay.opaque";

  private OverlayFormat() {}

  /** Creates a whiteout at {@code path}, which must not exist. */
  public static void createWhiteout(Path path) throws IOException {
    NativeFiles.mknod(path, NativeFiles.S_IFCHR, 0, 0, 0);
  }

  /** True when the directory {@code dir} is marked opaque. */
  public static boolean isOpaque(Path dir) throws IOException {
    Optional<byte[]> value = NativeFiles.readXattr(dir, OPAQUE);
    return value.isPresent() && value.get().length == 1 && value.get()[0] == 'y';
  }

  /** Removes the opaque mark from {@code dir}; a directory without one is fine. */
  public static void clearOpaque(Path dir) throws IOException {
    NativeFiles.removeXattr(dir, OPAQUE);
  }
}
