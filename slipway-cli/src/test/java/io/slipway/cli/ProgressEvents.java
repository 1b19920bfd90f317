package io.slipway.cli;

import io.slipway.build.cache.CacheRecord;
import io.slipway.build.graph.Operation;
import io.slipway.build.graph.Platform;
import io.slipway.build.graph.Vertex;
import io.slipway.build.solver.SolvedVertex;
import io.slipway.oci.Digest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/** Vertices and results for scripting progress displays in tests. */
final class ProgressEvents {

  private ProgressEvents() {}

  /** A vertex described as {@code description}; distinct descriptions give distinct vertices. */
  static Vertex vertex(String description) {
    return Vertex.of(new Operation.Image(description, Platform.parse("linux/amd64"),
        Optional.empty()), List.of(), description, Optional.empty());
  }

  static SolvedVertex solved(Vertex vertex, boolean cached) {
    return new SolvedVertex(vertex, Digest.sha256(vertex.description()
        .getBytes(StandardCharsets.UTF_8)), new CacheRecord("image", List.of(), Optional.empty()),
        cached);
  }

  static Digest blob(int n) {
    return Digest.sha256(new byte[] {(byte) n, (byte) (n >> 8), 7});
  }
}
