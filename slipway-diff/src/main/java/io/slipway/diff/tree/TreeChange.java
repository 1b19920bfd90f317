package io.slipway.diff.tree;

import java.util.Set;

/**
 * One difference between two file trees. Immutable.
 *
 * @param kind added, removed or modified
 * @param path the path relative to the tree roots, {@code /}-separated, without a leading slash
 * @param before the entry in the first tree, null when added
 * @param after the entry in the second tree, null when removed
 * @param aspects for a modification, what differs; empty otherwise
 */
public record TreeChange(Kind kind, String path, FileEntry before, FileEntry after, Set<Aspect> aspects) {

  /** Whether an entry appeared, disappeared or changed. */
  public enum Kind {
    ADDED,
    REMOVED,
    MODIFIED
  }

  /** What about an entry present in both trees differs. */
  public enum Aspect {
    TYPE,
    MODE,
    OWNER,
    SIZE,
    LINK_TARGET,
    CONTENT
  }

  public TreeChange {
    aspects = Set.copyOf(aspects);
  }
}
