package io.slipway.build.solver;

import java.nio.file.Path;
import java.util.Collections;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What a RUN step changed, as an {@link Executor} hands it back: either an overlayfs upper
 * directory (whiteouts as character devices 0/0, opaque directories marked with the overlay
 * attribute) or a tree of added and modified entries plus the paths deleted from the root file
 * system. The directory belongs to the solver once returned. Immutable records.
 */
public sealed interface ExecChanges {

  /** The directory holding the changed entries. */
  Path root();

  /** An overlayfs upper directory. */
  record OverlayUpper(Path root) implements ExecChanges {
    public OverlayUpper {
      Objects.requireNonNull(root, "root");
    }
  }

  /** Added and modified entries, and deleted paths (relative, no leading slash). */
  record Diff(Path root, SortedSet<String> deletions) implements ExecChanges {
    public Diff {
      Objects.requireNonNull(root, "root");
      deletions = Collections.unmodifiableSortedSet(new TreeSet<>(deletions));
    }
  }
}
