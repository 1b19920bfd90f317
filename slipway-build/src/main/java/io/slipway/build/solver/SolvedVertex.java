package io.slipway.build.solver;

import io.slipway.build.cache.CacheRecord;
import io.slipway.build.graph.Vertex;
import io.slipway.oci.Digest;
import java.util.Objects;

/**
 * The result of one vertex in one build: its cache key, what it produced (the layer chain of its
 * file system) and whether that came from the cache. Immutable.
 */
public record SolvedVertex(Vertex vertex, Digest cacheKey, CacheRecord record, boolean cached) {
  public SolvedVertex {
    Objects.requireNonNull(vertex, "vertex");
    Objects.requireNonNull(cacheKey, "cacheKey");
    Objects.requireNonNull(record, "record");
  }
}
