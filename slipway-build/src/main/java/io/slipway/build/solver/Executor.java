package io.slipway.build.solver;

import java.io.IOException;

/**
 * Runs the process of a RUN step ({@link io.slipway.build.graph.Operation.Exec}) and returns what
 * it changed. The solver calls it on a virtual thread, with the step's inputs unpacked, and writes
 * the returned changes as the step's layer; the executor never writes into the input trees and
 * never records anything in the cache. A step that fails (non-zero exit, setup error) throws; an
 * interrupted thread means the build was cancelled, and the executor must stop the process and
 * clean up before returning. Implementations must be safe for concurrent use: independent RUN
 * steps of one build, and of concurrent builds, run at once.
 */
@FunctionalInterface
public interface Executor {

  /** Runs {@code step}; returns its changes, placed under {@code step.workDirectory()}. */
  ExecChanges run(ExecStep step) throws IOException, InterruptedException;

  /** An executor for builds without a container runtime: every RUN fails with a clear error. */
  static Executor unavailable() {
    return step -> {
      throw new SolveException(step.vertex(),
          "RUN needs the runc executor, which this build of Slipway does not include yet;"
              + " only RUN-free Dockerfiles can be built");
    };
  }
}
