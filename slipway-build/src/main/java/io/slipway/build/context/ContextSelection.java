package io.slipway.build.context;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Walks a build context directory and lists what a {@link Dockerignore} keeps: relative,
 * slash-separated paths of files, directories and symlinks (not followed), sorted. A directory
 * that is ignored is not descended into unless an exception could re-include something below it;
 * the parents of every kept path are kept too. {@link #scan} adds what {@code lstat} says of each.
 * Stateless and thread-safe.
 */
public final class ContextSelection {

  private ContextSelection() {}

  /** The kept paths under {@code root}. */
  public static List<String> walk(Path root, Dockerignore ignore) throws IOException {
    TreeSet<String> kept = new TreeSet<>();
    boolean exceptions = ignore.hasExceptions();
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            if (dir.equals(root)) {
              return FileVisitResult.CONTINUE;
            }
            String relative = relative(root, dir);
            if (ignore.isIgnored(relative)) {
              return exceptions ? FileVisitResult.CONTINUE : FileVisitResult.SKIP_SUBTREE;
            }
            keep(kept, relative);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            String relative = relative(root, file);
            if (!ignore.isIgnored(relative)) {
              keep(kept, relative);
            }
            return FileVisitResult.CONTINUE;
          }
        });
    return Collections.unmodifiableList(new ArrayList<>(kept));
  }

  /** The kept paths under {@code root} with their attributes, in the order of {@link #walk}. */
  public static List<ContextEntry> scan(Path root, Dockerignore ignore) throws IOException {
    List<String> paths = walk(root, ignore);
    List<ContextEntry> entries = new ArrayList<>(paths.size());
    for (String path : paths) {
      entries.add(stat(root.resolve(path), path));
    }
    return Collections.unmodifiableList(entries);
  }

  private static final int S_IFMT = 0170000;
  private static final int S_IFREG = 0100000;
  private static final int S_IFDIR = 0040000;
  private static final int S_IFLNK = 0120000;

  /** The entry for {@code file}, named {@code path} in its context, as {@code lstat} sees it now. */
  public static ContextEntry stat(Path file, String path) throws IOException {
    // One lstat for everything a cache key and the stat-based digest reuse need.
    Map<String, Object> attributes = Files.readAttributes(
        file, "unix:mode,size,lastModifiedTime,ctime,ino", LinkOption.NOFOLLOW_LINKS);
    int mode = (Integer) attributes.get("mode");
    ContextEntry.Type type = switch (mode & S_IFMT) {
      case S_IFREG -> ContextEntry.Type.FILE;
      case S_IFDIR -> ContextEntry.Type.DIRECTORY;
      case S_IFLNK -> ContextEntry.Type.SYMLINK;
      default -> ContextEntry.Type.OTHER;
    };
    Optional<String> target = type == ContextEntry.Type.SYMLINK
        ? Optional.of(Files.readSymbolicLink(file).toString()) : Optional.empty();
    return new ContextEntry(path, type, mode,
        type == ContextEntry.Type.FILE ? (Long) attributes.get("size") : 0,
        ((FileTime) attributes.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS),
        ((FileTime) attributes.get("ctime")).to(TimeUnit.NANOSECONDS),
        (Long) attributes.get("ino"), target);
  }

  private static void keep(TreeSet<String> kept, String relative) {
    kept.add(relative);
    int slash = relative.lastIndexOf('/');
    while (slash > 0) {
      relative = relative.substring(0, slash);
      if (!kept.add(relative)) {
        break;
      }
      slash = relative.lastIndexOf('/');
    }
  }

  private static String relative(Path root, Path path) {
    StringBuilder out = new StringBuilder();
    for (Path element : root.relativize(path)) {
      if (out.length() > 0) {
        out.append('/');
      }
      out.append(element);
    }
    return out.toString();
  }
}
