package io.slipway.store.layer;

import java.util.Objects;

/**
 * One change recorded in a layer, with whiteouts already decoded: the closed set of things an OCI
 * layer can say about a path. Paths are relative to the root of the image filesystem, use
 * {@code /} separators, and have no leading {@code ./} or {@code /}, no trailing slash and no
 * {@code .} or {@code ..} components ({@link EntryPaths#normalize} makes them so). Immutable.
 */
public sealed interface LayerEntry {

  /** Where the entry lives, relative to the filesystem root. */
  String path();

  /** A regular file of {@code size} bytes; its content travels beside the entry. */
  record File(String path, EntryAttributes attributes, long size) implements LayerEntry {
    public File {
      EntryPaths.requireNormal(path);
      Objects.requireNonNull(attributes, "attributes");
      if (size < 0) {
        throw new IllegalArgumentException(path + ": negative size " + size);
      }
    }
  }

  /** A directory. */
  record Directory(String path, EntryAttributes attributes) implements LayerEntry {
    public Directory {
      EntryPaths.requireNormal(path);
      Objects.requireNonNull(attributes, "attributes");
    }
  }

  /** A symbolic link; {@code target} is stored verbatim and may be absolute. */
  record Symlink(String path, EntryAttributes attributes, String target) implements LayerEntry {
    public Symlink {
      EntryPaths.requireNormal(path);
      Objects.requireNonNull(attributes, "attributes");
      if (Objects.requireNonNull(target, "target").isEmpty() || target.indexOf('\0') >= 0) {
        throw new IllegalArgumentException(path + ": invalid symlink target");
      }
    }
  }

  /** A hard link to {@code target}, an earlier entry of the same layer (a normalized path). */
  record Hardlink(String path, EntryAttributes attributes, String target) implements LayerEntry {
    public Hardlink {
      EntryPaths.requireNormal(path);
      EntryPaths.requireNormal(target);
      Objects.requireNonNull(attributes, "attributes");
    }
  }

  /** A character or block device node, or a FIFO (whose device numbers are zero). */
  record Device(String path, EntryAttributes attributes, DeviceKind kind, int major, int minor)
      implements LayerEntry {
    public Device {
      EntryPaths.requireNormal(path);
      Objects.requireNonNull(attributes, "attributes");
      Objects.requireNonNull(kind, "kind");
      if (major < 0 || minor < 0) {
        throw new IllegalArgumentException(path + ": negative device number");
      }
    }
  }

  /** Deletes {@code path} (and everything under it) from the layers below. */
  record Whiteout(String path) implements LayerEntry {
    public Whiteout {
      EntryPaths.requireNormal(path);
    }
  }

  /**
   * Hides everything the layers below hold inside directory {@code path}; entries of the same
   * layer inside it stay. The empty path means the root.
   */
  record OpaqueMarker(String path) implements LayerEntry {
    public OpaqueMarker {
      if (!path.isEmpty()) {
        EntryPaths.requireNormal(path);
      }
    }
  }

  /** The kinds of special file a layer can hold. */
  enum DeviceKind {
    CHARACTER,
    BLOCK,
    FIFO
  }
}
