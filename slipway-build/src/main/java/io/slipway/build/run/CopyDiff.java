package io.slipway.build.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Turns a copied root file system into the step's changes by comparing it with the snapshot it was
 * copied from: entries that are unchanged (same type, mode, owner, size, modification time, link
 * target or device) are removed from the copy, unchanged directories that are left empty go too,
 * and paths present in the snapshot but not in the copy are returned as deletions. What stays in
 * the copy is exactly what the layer must add.
 *
 * <p>The copy keeps the snapshot's modification times ({@code cp -a}), so a file the step did not
 * touch compares equal without reading it; on a file system without sub-second times the contents
 * are compared as well. Confined to the calling thread.
 */
final class CopyDiff {

  private final SortedSet<String> deletions = new TreeSet<>();

  private CopyDiff() {}

  /** Prunes {@code copy} to the changes against {@code lower} and returns the deletions. */
  static SortedSet<String> prune(Path lower, Path copy) throws IOException {
    CopyDiff diff = new CopyDiff();
    diff.directory(lower, copy, "");
    return diff.deletions;
  }

  /** Returns true when {@code copyDir} still has entries after pruning. */
  private boolean directory(Path lowerDir, Path copyDir, String rel) throws IOException {
    String[] lowerNames = names(lowerDir);
    String[] copyNames = names(copyDir);
    for (String name : lowerNames) {
      if (Arrays.binarySearch(copyNames, name) < 0) {
        deletions.add(rel + name);
      }
    }
    boolean remaining = false;
    for (String name : copyNames) {
      Path copyPath = copyDir.resolve(name);
      Path lowerPath = lowerDir.resolve(name);
      if (Arrays.binarySearch(lowerNames, name) < 0) {
        remaining = true;
        continue;
      }
      UnixAttributes now = UnixAttributes.of(copyPath);
      UnixAttributes before = UnixAttributes.of(lowerPath);
      if (now.type() != before.type()) {
        remaining = true;
        continue;
      }
      if (now.isDirectory()) {
        boolean children = directory(lowerPath, copyPath, rel + name + "/");
        boolean self =
            !now.sameOwnershipAndMode(before) || !now.modified().equals(before.modified());
        if (children || self) {
          remaining = true;
        } else {
          Files.delete(copyPath);
        }
      } else if (unchanged(lowerPath, copyPath, before, now)) {
        Files.delete(copyPath);
      } else {
        remaining = true;
      }
    }
    return remaining;
  }

  private static boolean unchanged(
      Path lower, Path copy, UnixAttributes before, UnixAttributes now) throws IOException {
    if (!now.sameOwnershipAndMode(before)
        || now.size() != before.size()
        || now.rdev() != before.rdev()
        || !now.modified().equals(before.modified())) {
      return false;
    }
    if (now.isSymbolicLink()) {
      return Files.readSymbolicLink(lower).equals(Files.readSymbolicLink(copy));
    }
    if (now.isRegularFile() && now.modified().toInstant().getNano() == 0) {
      return Files.mismatch(lower, copy) == -1;
    }
    return true;
  }

  private static String[] names(Path directory) throws IOException {
    try (var entries = Files.list(directory)) {
      String[] names =
          entries.map(p -> p.getFileName().toString()).sorted().toArray(String[]::new);
      return names;
    }
  }
}
