package io.slipway.diff.tree;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Compares two directory trees and streams their differences, in path order, to a consumer.
 *
 * <p>Both trees are walked together, one directory at a time, with each directory's names sorted;
 * symbolic links are compared, never followed. <b>Memory</b> is the names of the directories on the
 * current path (both trees), so it grows with the widest directory and the depth, not with the
 * number of files; changes are handed on as they are found, never collected. Everything under an
 * added or removed directory is reported entry by entry. Regular files of equal size are compared
 * byte by byte ({@link Files#mismatch}), without reading them into memory.
 *
 * <p>Stateless; safe for concurrent use.
 */
public final class TreeDiffer {

  /**
   * Compares the trees under {@code a} and {@code b}.
   *
   * @throws TreeInputException naming the path that cannot be read
   */
  public void compare(Path a, Path b, Consumer<TreeChange> sink) throws TreeInputException {
    for (Path root : List.of(a, b)) {
      if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
        throw new TreeInputException(root, "is not a directory");
      }
    }
    walk(a, b, "", sink);
  }

  private void walk(Path a, Path b, String prefix, Consumer<TreeChange> sink) throws TreeInputException {
    List<String> namesA = list(a);
    List<String> namesB = list(b);
    int i = 0;
    int j = 0;
    while (i < namesA.size() || j < namesB.size()) {
      int order =
          i == namesA.size() ? 1 : j == namesB.size() ? -1 : namesA.get(i).compareTo(namesB.get(j));
      if (order < 0) {
        String name = namesA.get(i++);
        removedOrAdded(a.resolve(name), prefix + name, TreeChange.Kind.REMOVED, sink);
      } else if (order > 0) {
        String name = namesB.get(j++);
        removedOrAdded(b.resolve(name), prefix + name, TreeChange.Kind.ADDED, sink);
      } else {
        String name = namesA.get(i++);
        j++;
        Path pathA = a.resolve(name);
        Path pathB = b.resolve(name);
        FileEntry before = entry(pathA);
        FileEntry after = entry(pathB);
        Set<TreeChange.Aspect> aspects = compareEntries(pathA, before, pathB, after);
        if (!aspects.isEmpty()) {
          sink.accept(new TreeChange(TreeChange.Kind.MODIFIED, prefix + name, before, after, aspects));
        }
        boolean dirA = before.type() == FileEntry.FileType.DIRECTORY;
        boolean dirB = after.type() == FileEntry.FileType.DIRECTORY;
        if (dirA && dirB) {
          walk(pathA, pathB, prefix + name + "/", sink);
        } else if (dirA) {
          below(pathA, prefix + name + "/", TreeChange.Kind.REMOVED, sink);
        } else if (dirB) {
          below(pathB, prefix + name + "/", TreeChange.Kind.ADDED, sink);
        }
      }
    }
  }

  private void removedOrAdded(Path path, String relative, TreeChange.Kind kind, Consumer<TreeChange> sink)
      throws TreeInputException {
    FileEntry entry = entry(path);
    sink.accept(
        kind == TreeChange.Kind.ADDED
            ? new TreeChange(kind, relative, null, entry, Set.of())
            : new TreeChange(kind, relative, entry, null, Set.of()));
    if (entry.type() == FileEntry.FileType.DIRECTORY) {
      below(path, relative + "/", kind, sink);
    }
  }

  private void below(Path directory, String prefix, TreeChange.Kind kind, Consumer<TreeChange> sink)
      throws TreeInputException {
    for (String name : list(directory)) {
      removedOrAdded(directory.resolve(name), prefix + name, kind, sink);
    }
  }

  private static Set<TreeChange.Aspect> compareEntries(Path pathA, FileEntry a, Path pathB, FileEntry b)
      throws TreeInputException {
    Set<TreeChange.Aspect> aspects = EnumSet.noneOf(TreeChange.Aspect.class);
    if (a.type() != b.type()) {
      aspects.add(TreeChange.Aspect.TYPE);
    }
    if (a.mode() != b.mode()) {
      aspects.add(TreeChange.Aspect.MODE);
    }
    if (a.uid() != b.uid() || a.gid() != b.gid()) {
      aspects.add(TreeChange.Aspect.OWNER);
    }
    if (!a.linkTarget().equals(b.linkTarget())) {
      aspects.add(TreeChange.Aspect.LINK_TARGET);
    }
    if (a.type() == FileEntry.FileType.FILE && b.type() == FileEntry.FileType.FILE) {
      if (a.size() != b.size()) {
        aspects.add(TreeChange.Aspect.SIZE);
        aspects.add(TreeChange.Aspect.CONTENT);
      } else {
        try {
          if (Files.mismatch(pathA, pathB) >= 0) {
            aspects.add(TreeChange.Aspect.CONTENT);
          }
        } catch (IOException e) {
          throw new TreeInputException(pathA, "cannot compare with " + pathB + ": " + e.getMessage(), e);
        }
      }
    }
    return aspects;
  }

  private static List<String> list(Path directory) throws TreeInputException {
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
      for (Path entry : entries) {
        names.add(entry.getFileName().toString());
      }
    } catch (IOException | UncheckedIOException e) {
      throw new TreeInputException(directory, "cannot list: " + e.getMessage(), e);
    }
    names.sort(null);
    return names;
  }

  /** Reads what the diff compares about one path, without following a symbolic link. */
  static FileEntry entry(Path path) throws TreeInputException {
    try {
      PosixFileAttributes attributes =
          Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      Map<String, Object> unix = Files.readAttributes(path, "unix:uid,gid,mode", LinkOption.NOFOLLOW_LINKS);
      FileEntry.FileType type =
          attributes.isSymbolicLink()
              ? FileEntry.FileType.SYMLINK
              : attributes.isDirectory()
                  ? FileEntry.FileType.DIRECTORY
                  : attributes.isRegularFile() ? FileEntry.FileType.FILE : FileEntry.FileType.OTHER;
      String target = type == FileEntry.FileType.SYMLINK ? Files.readSymbolicLink(path).toString() : "";
      long size =
          switch (type) {
            case FILE -> attributes.size();
            case SYMLINK -> target.length();
            default -> 0;
          };
      int mode = unix.get("mode") instanceof Integer raw ? raw & 07777 : permissionBits(attributes.permissions());
      return new FileEntry(type, mode, (Integer) unix.get("uid"), (Integer) unix.get("gid"), size, target);
    } catch (IOException | UnsupportedOperationException e) {
      throw new TreeInputException(path, "cannot read attributes: " + e.getMessage(), e);
    }
  }

  private static int permissionBits(Set<PosixFilePermission> permissions) {
    int mode = 0;
    for (PosixFilePermission permission : permissions) {
      mode |= 1 << (8 - permission.ordinal());
    }
    return mode;
  }
}
