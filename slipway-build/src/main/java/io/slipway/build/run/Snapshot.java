package io.slipway.build.run;

import java.nio.file.Path;
import java.util.List;

/**
 * A read-only file system as the executor receives it: unpacked layer directories, topmost first,
 * in overlayfs format (a whiteout is a character device 0/0, an opaque directory carries the
 * {@code trusted.overlay.opaque=y} attribute). A snapshot of one directory is a complete tree, which
 * is what the copying mode needs. The executor never writes into these directories; the
 * snapshotter that owns them (issue 7) keeps them alive for the duration of the step. Immutable.
 */
public record Snapshot(List<Path> layers) {

  public Snapshot {
    layers = List.copyOf(layers);
    if (layers.isEmpty()) {
      throw new IllegalArgumentException("a snapshot needs at least one layer directory");
    }
  }

  /** A snapshot of one complete directory tree. */
  public static Snapshot of(Path directory) {
    return new Snapshot(List.of(directory));
  }

  /** True when the snapshot is one directory, so it can be bind-mounted or copied as it is. */
  public boolean isSingleDirectory() {
    return layers.size() == 1;
  }
}
