package io.slipway.store.layer;

import java.nio.file.Path;
import java.util.Collections;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The changes one build step made, as a layer records them: a directory tree whose contents are
 * added (files, directories, links, device nodes; sockets are skipped), paths deleted from the
 * layers below, and directories whose lower contents are hidden entirely. Paths are normalized
 * entry paths ({@link EntryPaths}); the empty path in {@code opaqueDirectories} means the root.
 * Immutable.
 *
 * @param root the tree to add; its own attributes are not recorded
 */
public record ChangeSet(Path root, SortedSet<String> deletions, SortedSet<String> opaqueDirectories) {

  public ChangeSet {
    Objects.requireNonNull(root, "root");
    deletions = Collections.unmodifiableSortedSet(new TreeSet<>(deletions));
    opaqueDirectories = Collections.unmodifiableSortedSet(new TreeSet<>(opaqueDirectories));
    deletions.forEach(EntryPaths::requireNormal);
    opaqueDirectories.forEach(
        p -> {
          if (!p.isEmpty()) {
            EntryPaths.requireNormal(p);
          }
        });
  }

  /** Only additions. */
  public static ChangeSet of(Path root) {
    return new ChangeSet(root, new TreeSet<>(), new TreeSet<>());
  }

  /** Additions plus deletions. */
  public static ChangeSet of(Path root, SortedSet<String> deletions) {
    return new ChangeSet(root, deletions, new TreeSet<>());
  }
}
