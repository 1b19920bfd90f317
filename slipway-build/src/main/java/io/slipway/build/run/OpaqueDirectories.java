package io.slipway.build.run;

import io.slipway.build.snapshot.MountTable;
import io.slipway.build.snapshot.OverlayMount;
import io.slipway.store.layer.OverlayFormat;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * Rewrites the opaque directories of an overlay upper directory as whiteouts. overlayfs marks a
 * directory that a step removed and made again opaque, hiding the lower entries without a
 * whiteout each; a copied root file system's diff ({@link CopyDiff}) lists each of them as deleted
 * instead. Writing a whiteout for every hidden lower entry and dropping the mark makes both modes
 * give the same layer, and keeps the upper directory a valid lower layer for the same stack.
 *
 * <p>Walks the upper directory only; the lower file system is read (through a read-only overlay of
 * the snapshot) only when an opaque directory is found. Confined to the calling thread.
 */
final class OpaqueDirectories {

  private OpaqueDirectories() {}

  /**
   * Expands the opaque directories of the unmounted {@code upper} against {@code lower}, mounting
   * a read-only view of it in the empty-or-absent {@code scratch} when it has several layers.
   */
  static void expand(Path upper, Snapshot lower, Path scratch)
      throws IOException, InterruptedException {
    List<Path> opaque = find(upper);
    if (opaque.isEmpty()) {
      return;
    }
    Path view;
    boolean mounted = false;
    if (lower.isSingleDirectory()) {
      view = lower.layers().getFirst();
    } else {
      view = Files.createDirectories(scratch);
      OverlayMount.mount(lower.layers(), null, null, view);
      mounted = true;
    }
    try {
      for (Path dir : opaque) {
        hide(dir, view.resolve(upper.relativize(dir).toString()));
        OverlayFormat.clearOpaque(dir);
      }
    } finally {
      if (mounted) {
        MountTable.unmountAllUnder(view);
      }
    }
  }

  private static List<Path> find(Path upper) throws IOException {
    List<Path> opaque = new ArrayList<>();
    Files.walkFileTree(upper, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
          throws IOException {
        if (OverlayFormat.isOpaque(dir)) {
          opaque.add(dir);
        }
        return FileVisitResult.CONTINUE;
      }
    });
    return opaque;
  }

  /**
   * Whiteouts in {@code upperDir} for what {@code lowerDir} holds and it does not; the same below
   * for directories both hold, since overlayfs merges nothing under an opaque directory.
   */
  private static void hide(Path upperDir, Path lowerDir) throws IOException {
    if (!Files.isDirectory(lowerDir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (var entries = Files.newDirectoryStream(lowerDir)) {
      for (Path lowerEntry : entries) {
        Path upperEntry = upperDir.resolve(lowerEntry.getFileName().toString());
        if (!Files.exists(upperEntry, LinkOption.NOFOLLOW_LINKS)) {
          OverlayFormat.createWhiteout(upperEntry);
        } else if (Files.isDirectory(upperEntry, LinkOption.NOFOLLOW_LINKS)
            && Files.isDirectory(lowerEntry, LinkOption.NOFOLLOW_LINKS)) {
          hide(upperEntry, lowerEntry);
        }
      }
    }
  }
}
