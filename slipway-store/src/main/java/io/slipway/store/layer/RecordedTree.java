package io.slipway.store.layer;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;

/**
 * Rewrites a tree's owners and times to the ones a layer written from it with given options
 * records, so that the tree equals what unpacking that layer would give and can stand in for the
 * unpacked layer. Unpacking again would create every file a second time, which on ext4 costs far
 * more than the bytes.
 *
 * <p>Applies exactly what {@link LayerWriter} changes on the way into the tar: the
 * {@link TimestampPolicy}, the {@link OwnerPolicy}, and whole seconds for times (the tar header
 * holds seconds). Access times become the modification time, as the extractor sets them. The root
 * directory is left alone: a layer does not record it. Only for trees without whiteouts, opaque
 * markers or sockets (a file operation's output has none), since those are recorded differently.
 *
 * <p>Stateless; safe for concurrent use on different trees.
 */
public final class RecordedTree {

  private RecordedTree() {}

  /** Rewrites {@code root}'s entries in place; directories after their children. */
  public static void normalize(Path root, LayerWriteOptions options) throws IOException {
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        apply(file, options);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException failure)
          throws IOException {
        if (failure != null) {
          throw failure;
        }
        if (!dir.equals(root)) {
          apply(dir, options);
        }
        return FileVisitResult.CONTINUE;
      }
    });
  }

  private static void apply(Path path, LayerWriteOptions options) throws IOException {
    Map<String, Object> unix =
        Files.readAttributes(path, "unix:uid,gid,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
    long uid = ((Integer) unix.get("uid")) & 0xffffffffL;
    long gid = ((Integer) unix.get("gid")) & 0xffffffffL;
    Instant mtime = options.timestamps().apply(((FileTime) unix.get("lastModifiedTime")).toInstant());
    EntryAttributes recorded = options.owners().apply(
        new EntryAttributes(0, uid, gid, "", "", mtime, Xattrs.none()));
    if (recorded.uid() != uid || recorded.gid() != gid) {
      // lchown clears set-id bits on regular files, which the layer keeps: restore the mode.
      // Only there: setting a mode opens the file, which blocks on a fifo.
      Object mode = Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
      Files.setAttribute(path, "unix:uid", (int) recorded.uid(), LinkOption.NOFOLLOW_LINKS);
      Files.setAttribute(path, "unix:gid", (int) recorded.gid(), LinkOption.NOFOLLOW_LINKS);
      if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
        Files.setAttribute(path, "unix:mode", mode, LinkOption.NOFOLLOW_LINKS);
      }
    }
    NativeFiles.setTimes(path, Instant.ofEpochSecond(recorded.mtime().getEpochSecond()));
  }
}
