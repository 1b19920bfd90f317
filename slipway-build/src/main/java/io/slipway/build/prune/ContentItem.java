package io.slipway.build.prune;

import io.slipway.oci.Digest;
import java.util.Objects;

/**
 * One piece of disk a cache record keeps alive. Records share items (a layer blob is named by
 * every record whose chain includes it; the unpacked tree of a chain by every record whose chain
 * starts with it), so an item is freed only when the last record naming it goes. Immutable.
 */
public sealed interface ContentItem {

  /** Bytes on disk. */
  long size();

  /** A blob in the content store. */
  record Blob(Digest digest, long size) implements ContentItem {
    public Blob {
      Objects.requireNonNull(digest, "digest");
    }
  }

  /**
   * An unpacked snapshot directory, named relative to {@code snapshots/}: a copied chain's tree
   * ({@code <chain id>}), a stacked layer ({@code layers/<diff id>}) or a flattened stack bottom
   * ({@code layers/<chain id>.flat}).
   */
  record Tree(String name, long size) implements ContentItem {
    public Tree {
      Objects.requireNonNull(name, "name");
    }
  }

  /** A cache mount directory, {@code run/cache/<sha256 of id>/<n>}. */
  record MountDirectory(String name, long size) implements ContentItem {
    public MountDirectory {
      Objects.requireNonNull(name, "name");
    }
  }
}
