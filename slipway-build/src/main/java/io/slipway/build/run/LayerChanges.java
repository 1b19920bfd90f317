package io.slipway.build.run;

import io.slipway.store.layer.ChangeSet;
import io.slipway.store.layer.LayerDigests;
import io.slipway.store.layer.LayerWriteOptions;
import io.slipway.store.layer.LayerWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What a successful RUN step changed, in the two forms the layer writer takes. The directory
 * belongs to the caller once the step returns; {@link #write} turns it into a layer. Immutable
 * records.
 */
public sealed interface LayerChanges {

  /** The directory holding the changed entries. */
  Path root();

  /**
   * Writes the layer for these changes into {@code sink} (which stays open) in one streaming pass
   * and returns its digests.
   */
  LayerDigests write(LayerWriteOptions options, OutputStream sink) throws IOException;

  /**
   * An overlayfs upper directory: added and modified entries as they are, deletions as character
   * devices 0/0, directories that replace a lower one marked opaque with an extended attribute.
   * This is also a ready-made layer directory for the next step's lower stack.
   */
  record OverlayUpper(Path root) implements LayerChanges {
    public OverlayUpper {
      Objects.requireNonNull(root, "root");
    }

    @Override
    public LayerDigests write(LayerWriteOptions options, OutputStream sink) throws IOException {
      return LayerWriter.writeOverlayUpper(root, options, sink);
    }
  }

  /**
   * A tree of added and modified entries (with their unchanged parent directories) and the paths,
   * relative and without a leading slash, that the step deleted from the snapshot.
   */
  record Diff(Path root, SortedSet<String> deletions) implements LayerChanges {
    public Diff {
      Objects.requireNonNull(root, "root");
      deletions = Collections.unmodifiableSortedSet(new TreeSet<>(deletions));
    }

    /** The change set the layer writer takes. */
    public ChangeSet toChangeSet() {
      return ChangeSet.of(root, deletions);
    }

    @Override
    public LayerDigests write(LayerWriteOptions options, OutputStream sink) throws IOException {
      return LayerWriter.write(toChangeSet(), options, sink);
    }
  }
}
