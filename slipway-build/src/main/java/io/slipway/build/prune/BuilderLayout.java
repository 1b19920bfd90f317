package io.slipway.build.prune;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Where a builder root keeps each kind of state: {@code blobs/} and {@code ingest/} (the content
 * store), {@code meta.db} (build cache metadata), {@code snapshots/} (unpacked trees) and
 * {@code run/} (the RUN executor: runc state, bundles, and cache mounts in {@code run/cache}).
 * Immutable.
 */
public record BuilderLayout(Path root) {

  public BuilderLayout {
    Objects.requireNonNull(root, "root");
  }

  /** The build cache database. */
  public Path metaDb() {
    return root.resolve("meta.db");
  }

  /** The database with the files SQLite keeps beside it. */
  public List<Path> metadataFiles() {
    return List.of(metaDb(), root.resolve("meta.db-wal"), root.resolve("meta.db-shm"));
  }

  /** The snapshotter's trees. */
  public Path snapshots() {
    return root.resolve("snapshots");
  }

  /** The RUN executor's state directory. */
  public Path runState() {
    return root.resolve("run");
  }

  /** The {@code RUN --mount=type=cache} directories. */
  public Path cacheMounts() {
    return runState().resolve("cache");
  }
}
