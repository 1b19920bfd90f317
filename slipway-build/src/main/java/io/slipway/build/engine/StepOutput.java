package io.slipway.build.engine;

import io.slipway.build.graph.Vertex;
import io.slipway.build.run.OutputListener;

/**
 * Receives the output lines of RUN steps, each with the step it came from, so a progress display
 * can show a running step's latest lines under it. Called from the threads reading each process's
 * pipes, for several steps at once: implementations must be safe for concurrent use and quick.
 */
@FunctionalInterface
public interface StepOutput {

  /** One line of {@code vertex}'s output, without its line terminator. */
  void line(Vertex vertex, OutputListener.Stream stream, String line);

  /** Drops everything. */
  static StepOutput discard() {
    return (vertex, stream, line) -> {};
  }
}
