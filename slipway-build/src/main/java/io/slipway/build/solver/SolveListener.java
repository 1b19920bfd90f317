package io.slipway.build.solver;

import io.slipway.build.graph.Vertex;
import java.time.Duration;
import java.util.List;

/**
 * Hears about vertices as the solver works on them, for progress displays and tracing. Called from
 * the solver's virtual threads, concurrently for independent vertices, so implementations must be
 * safe for concurrent use and must not block.
 */
public interface SolveListener {

  /** A listener that ignores everything. */
  SolveListener NONE = new SolveListener() {};

  /**
   * The solve is about to start on {@code vertices}, in the graph's order (inputs first); each
   * then waits until it is {@linkplain #started started}. Called once, before any other event.
   */
  default void planned(List<Vertex> vertices) {}

  /** Work on {@code vertex} started (its inputs are ready). */
  default void started(Vertex vertex) {}

  /** {@code vertex} finished, from the cache or computed, after {@code elapsed}. */
  default void finished(SolvedVertex result, Duration elapsed) {}

  /** {@code vertex} failed or was cancelled. */
  default void failed(Vertex vertex, Throwable error) {}
}
