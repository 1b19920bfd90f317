package io.slipway.build.fileop;

import io.slipway.build.context.Dockerignore;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A tree a copy reads from: a build context directory (with its ignore rules; files from it are
 * owned by root in the image, as the reference builder makes them) or the unpacked file system of a
 * stage or image (owners kept). Immutable.
 */
public record SourceTree(Path root, Dockerignore ignore, boolean fromContext) {
  public SourceTree {
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(ignore, "ignore");
  }

  /** The build context at {@code root}, minus what {@code ignore} drops. */
  public static SourceTree context(Path root, Dockerignore ignore) {
    return new SourceTree(root, ignore, true);
  }

  /** A stage's or image's unpacked file system. */
  public static SourceTree snapshot(Path root) {
    return new SourceTree(root, Dockerignore.EMPTY, false);
  }
}
