package io.slipway.cli;

import io.slipway.build.engine.StepOutput;
import io.slipway.build.graph.Vertex;
import io.slipway.build.run.OutputListener;
import io.slipway.build.solver.SolveListener;
import io.slipway.client.TransferListener;

/**
 * A display of one build's progress: it hears about steps from the solver, about RUN output from
 * the executor and about pulled and pushed blobs from the registry client, all from many threads
 * at once, so implementations are safe for concurrent use. {@link #finish} is called once, from
 * the thread that ran the build, after which the display writes nothing more and the caller may
 * print (the error, the summary) freely.
 */
interface BuildProgress extends SolveListener, StepOutput, TransferListener {

  /** Ends the display: draws the final state and a summary line, and stops any drawing thread. */
  void finish(boolean succeeded);

  /** Shows nothing, for {@code --quiet}. */
  static BuildProgress silent() {
    return new BuildProgress() {
      @Override
      public void line(Vertex vertex, OutputListener.Stream stream, String line) {}

      @Override
      public void finish(boolean succeeded) {}
    };
  }
}
