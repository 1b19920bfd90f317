package io.slipway.build.prune;

import java.time.Instant;
import java.util.Objects;

/**
 * Content prune has condemned and not yet deleted: a blob (its digest) or a cache mount directory
 * ({@code <sha256 of id>/<n>}). Immutable.
 */
public record Garbage(Kind kind, String name, Instant condemnedAt) {

  /** What the name names. */
  public enum Kind {
    BLOB("blob"),
    CACHE_MOUNT("cache-mount");

    final String column;

    Kind(String column) {
      this.column = column;
    }

    static Kind of(String column) {
      for (Kind kind : values()) {
        if (kind.column.equals(column)) {
          return kind;
        }
      }
      throw new IllegalStateException("unknown garbage kind in build_garbage: " + column);
    }
  }

  public Garbage {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(condemnedAt, "condemnedAt");
  }
}
