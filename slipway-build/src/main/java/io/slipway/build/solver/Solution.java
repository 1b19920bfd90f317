package io.slipway.build.solver;

import io.slipway.build.graph.BuildGraph;
import io.slipway.build.graph.Vertex;
import io.slipway.oci.Digest;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * A solved build graph: every vertex's result, by vertex digest, and the base images the build
 * pinned. Immutable.
 */
public record Solution(BuildGraph graph, Map<Digest, SolvedVertex> vertices, PinnedImages images) {
  public Solution {
    Objects.requireNonNull(graph, "graph");
    vertices = Map.copyOf(vertices);
    Objects.requireNonNull(images, "images");
  }

  /** The result of {@code vertex}. */
  public SolvedVertex of(Vertex vertex) {
    SolvedVertex solved = vertices.get(vertex.digest());
    if (solved == null) {
      throw new NoSuchElementException("vertex was not solved: " + vertex);
    }
    return solved;
  }

  /** How many vertices came from the cache. */
  public long cacheHits() {
    return vertices.values().stream().filter(SolvedVertex::cached).count();
  }
}
