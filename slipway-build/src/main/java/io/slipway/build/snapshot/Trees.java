package io.slipway.build.snapshot;

import io.slipway.store.layer.FileSystemSync;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Whole-tree operations on snapshot directories: a faithful copy (types, modes, owners, times,
 * links, extended attributes) made by the host's {@code cp -a}, which also uses reflinks where the
 * file system has them, an fsync of a whole tree, and a removal that follows no symlink.
 * Stateless and thread-safe.
 */
public final class Trees {

  private Trees() {}

  /** Copies the contents of {@code from} into the existing directory {@code to}. */
  public static void copyContents(Path from, Path to) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(
        List.of("cp", "-a", "--reflink=auto", "--no-target-directory", from.toString(),
            to.toString()))
        .redirectErrorStream(true)
        .start();
    String output;
    try {
      output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      if (!process.waitFor(1, TimeUnit.HOURS)) {
        throw new IOException("cp -a " + from + " " + to + " did not finish within an hour");
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      throw e;
    }
    if (process.exitValue() != 0) {
      throw new IOException("cp -a " + from + " " + to + " failed: " + output.strip());
    }
  }

  /**
   * Makes every file and directory under {@code root} durable, so that a tree renamed into place
   * afterwards is complete after a power loss, not only after a process crash. One {@code
   * syncfs(2)} of the file system holding {@code root} (trees never span mounts here), not an
   * fsync per file: the same guarantee for every entry written before the call, at a fraction of
   * the cost for a tree of thousands of small files (see {@link FileSystemSync}).
   */
  public static void sync(Path root) throws IOException {
    FileSystemSync.syncFileSystemOf(root);
  }

  /** Fsyncs one file or directory. */
  public static void force(Path path) throws IOException {
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (AccessDeniedException e) {
      // See sync: not readable means not ours to make durable.
    }
  }

  /** Removes {@code path} and everything below it, without following symlinks; absent is fine. */
  public static void delete(Path path) throws IOException {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      Files.deleteIfExists(path);
      return;
    }
    Files.walkFileTree(path, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
          throws IOException {
        // A directory a RUN step left without write or search permission (chmod 0) still goes.
        // Best effort: where we may not chmod, the delete below may still be allowed.
        try {
          Files.setAttribute(dir, "unix:mode", 0700, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
          // Fall through; postVisitDirectory reports a directory that really cannot go.
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.deleteIfExists(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
        if (e instanceof NoSuchFileException) {
          return FileVisitResult.CONTINUE;
        }
        throw e;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
        if (e != null) {
          throw e;
        }
        Files.deleteIfExists(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
