package io.slipway.build.context;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
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
    return scan(root, ignore).stream().map(ContextEntry::path).toList();
  }

  /** The kept paths under {@code root} with their attributes, sorted by path. */
  public static List<ContextEntry> scan(Path root, Dockerignore ignore) throws IOException {
    TreeMap<String, ContextEntry> kept = new TreeMap<>();
    // One lstat per entry: it gives the type to recurse on and everything a cache key needs.
    scanDirectory(root, "", new ArrayList<>(), ignore, ignore.hasExceptions(), kept);
    return List.copyOf(kept.values());
  }

  private static void scanDirectory(Path dir, String rel, List<ContextEntry> ancestors,
      Dockerignore ignore, boolean exceptions, TreeMap<String, ContextEntry> kept)
      throws IOException {
    try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
      for (Path child : children) {
        String name = child.getFileName().toString();
        String childRel = rel.isEmpty() ? name : rel + "/" + name;
        ContextEntry entry = stat(child, childRel);
        boolean ignored = ignore.isIgnored(childRel);
        if (entry.type() != ContextEntry.Type.DIRECTORY) {
          if (!ignored) {
            keep(kept, ancestors, entry);
          }
          continue;
        }
        if (ignored && !exceptions) {
          // Nothing below an ignored directory can come back without an exception pattern.
          continue;
        }
        if (!ignored) {
          keep(kept, ancestors, entry);
        }
        ancestors.add(entry);
        scanDirectory(child, childRel, ancestors, ignore, exceptions, kept);
        ancestors.removeLast();
      }
    }
  }

  /** Keeps {@code entry} and every directory above it. */
  private static void keep(TreeMap<String, ContextEntry> kept, List<ContextEntry> ancestors,
      ContextEntry entry) {
    kept.put(entry.path(), entry);
    for (int i = ancestors.size() - 1; i >= 0; i--) {
      if (kept.putIfAbsent(ancestors.get(i).path(), ancestors.get(i)) != null) {
        break;
      }
    }
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
}
