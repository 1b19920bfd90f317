package io.slipway.build.context;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    List<ContextEntry> kept = new ArrayList<>();
    // One lstat per entry: it gives the type to recurse on and everything a cache key needs.
    scanDirectory(root, "", new ArrayList<>(), ignore, ignore.hasExceptions(), kept);
    // Each directory's children are visited in name order, so the list is nearly sorted already
    // and this sort is close to one pass; only a directory before a sibling whose name extends
    // its own with a character below '/' ("src" before "src.txt": "src.txt" < "src/a"), and a
    // parent kept late for an exception below it, are out of place. A sorted tree of 20,000
    // paths cost more than the lstat calls on a no-change rebuild.
    kept.sort(Comparator.comparing(ContextEntry::path));
    return List.copyOf(kept);
  }

  /** A directory above the one being walked, and whether it has been kept yet. */
  private static final class Ancestor {
    private final ContextEntry entry;
    private boolean kept;

    private Ancestor(ContextEntry entry, boolean kept) {
      this.entry = entry;
      this.kept = kept;
    }
  }

  private static void scanDirectory(Path dir, String rel, List<Ancestor> ancestors,
      Dockerignore ignore, boolean exceptions, List<ContextEntry> kept) throws IOException {
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
      for (Path child : children) {
        names.add(child.getFileName().toString());
      }
    }
    names.sort(null);
    for (String name : names) {
      Path child = dir.resolve(name);
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
      ancestors.add(new Ancestor(entry, !ignored));
      scanDirectory(child, childRel, ancestors, ignore, exceptions, kept);
      ancestors.removeLast();
    }
  }

  /** Keeps {@code entry} and every directory above it not kept yet. */
  private static void keep(List<ContextEntry> kept, List<Ancestor> ancestors,
      ContextEntry entry) {
    kept.add(entry);
    for (int i = ancestors.size() - 1; i >= 0 && !ancestors.get(i).kept; i--) {
      ancestors.get(i).kept = true;
      kept.add(ancestors.get(i).entry);
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
