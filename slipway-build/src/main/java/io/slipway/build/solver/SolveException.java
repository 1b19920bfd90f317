package io.slipway.build.solver;

import io.slipway.build.graph.Vertex;
import java.io.IOException;
import java.util.Optional;

/**
 * A build step that failed, naming the step (its description, such as {@code [build 2/5] COPY
 * src/ /app/}, and its Dockerfile lines) and why. Immutable.
 */
public final class SolveException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Optional<Vertex> vertex;

  /** A failure of {@code vertex}. */
  public SolveException(Vertex vertex, String message) {
    super(describe(vertex) + ": " + message);
    this.vertex = Optional.of(vertex);
  }

  /** A failure of {@code vertex} caused by {@code cause}. */
  public SolveException(Vertex vertex, String message, Throwable cause) {
    super(describe(vertex) + ": " + message, cause);
    this.vertex = Optional.of(vertex);
  }

  /** The step that failed. */
  public Optional<Vertex> vertex() {
    return vertex;
  }

  private static String describe(Vertex vertex) {
    String where = vertex.source()
        .map(range -> " (Dockerfile line " + range.start().line() + ")")
        .orElse("");
    return vertex.description() + where;
  }
}
