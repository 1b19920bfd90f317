package io.slipway.testing;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * What CI runners' sticky disks and backup tools do to a live state root: a plain recursive file
 * copy, with no coordination with the process writing it. The database goes first (WAL, then
 * the main file), then everything else, as a backup told "metadata first" would copy it; entries
 * that vanish mid-walk (an ingest committed, a temporary tree removed) are skipped, symlinks
 * are copied as links, and mounted file systems are not entered. Stateless; safe for concurrent use on distinct targets.
 */
public final class StateCopy {
  private StateCopy() {}

  /** Copies the state root {@code from} into {@code to} (created), database first. */
  public static void copy(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    for (String name : List.of("meta.db-wal", "meta.db")) {
      copyFile(from.resolve(name), to.resolve(name));
    }
    // Files.walk fails when an entry vanishes between listing and stat; a disk copy just goes on.
    List<Path> rest = new ArrayList<>();
    Object device = Files.getAttribute(from, "unix:dev");
    Files.walkFileTree(from, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
          throws IOException {
        rest.add(dir);
        // A disk snapshot holds the file system, not what is mounted on it: a mount point
        // (an overlay view of the builder) is copied as the empty directory it is underneath.
        try {
          if (!device.equals(Files.getAttribute(dir, "unix:dev", LinkOption.NOFOLLOW_LINKS))) {
            return FileVisitResult.SKIP_SUBTREE;
          }
        } catch (NoSuchFileException vanished) {
          return FileVisitResult.SKIP_SUBTREE;
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        rest.add(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
        if (e instanceof NoSuchFileException) {
          return FileVisitResult.CONTINUE;
        }
        throw e;
      }
    });
    for (Path source : rest) {
      if (source.getFileName().toString().startsWith("meta.db")) {
        continue;
      }
      Path target = to.resolve(from.relativize(source).toString());
      if (Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectories(target);
      } else {
        Files.createDirectories(target.getParent());
        copyFile(source, target);
      }
    }
  }

  private static void copyFile(Path source, Path target) throws IOException {
    try {
      Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException vanished) {
      // Gone while the walk went on.
    }
  }
}
