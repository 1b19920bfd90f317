package io.slipway.build.run;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Removes directory trees without following links, and refuses to when something is still mounted
 * below, so a failed unmount can never turn into deleting the files of a bind-mounted source.
 * Stateless; safe for concurrent use.
 */
final class FileTrees {

  private FileTrees() {}

  /** Deletes {@code path} and everything under it; a missing path is fine. */
  static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (!MountTable.mountPointsUnder(path).isEmpty()) {
      throw new IOException(
          "refusing to delete " + path + ": still mounted there: "
              + MountTable.mountPointsUnder(path));
    }
    Files.walkFileTree(
        path,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
              throws IOException {
            // A directory without write or search permission (chmod 0 by the step) still goes.
            Files.setAttribute(dir, "unix:mode", 0700);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            if (e != null) {
              throw e;
            }
            Files.delete(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
