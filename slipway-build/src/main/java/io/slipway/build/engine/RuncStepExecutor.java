package io.slipway.build.engine;

import io.slipway.build.run.BuildSession;
import io.slipway.build.run.ExecRequest;
import io.slipway.build.run.ExecResult;
import io.slipway.build.run.LayerChanges;
import io.slipway.build.run.RunException;
import io.slipway.build.run.RuncExecutor;
import io.slipway.build.run.Snapshot;
import io.slipway.build.solver.ExecChanges;
import io.slipway.build.solver.ExecStep;
import io.slipway.build.solver.Executor;
import io.slipway.build.solver.SolveException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Plugs the runc executor into the solver: each RUN step's inputs (a complete tree, or a stack of
 * overlay layer directories) become snapshots, its changes land in the step's work directory, and the executor's changes (overlay
 * upper directory or diff) become the solver's. The build session (secrets, SSH, entitlements) is
 * fixed per engine. Safe for concurrent use, as {@link RuncExecutor} is.
 */
public final class RuncStepExecutor implements Executor {

  private final RuncExecutor runc;
  private final BuildSession session;
  private final String dockerfile;
  private final StepOutput output;

  /**
   * Runs steps with {@code runc}, naming {@code dockerfile} in errors, with {@code session}'s
   * secrets, SSH agents and entitlements, and sending each step's output lines to {@code output}.
   */
  public RuncStepExecutor(RuncExecutor runc, BuildSession session, String dockerfile,
      StepOutput output) {
    this.runc = runc;
    this.session = session;
    this.dockerfile = dockerfile;
    this.output = output;
  }

  @Override
  public ExecChanges run(ExecStep step) throws IOException, InterruptedException {
    List<Snapshot> inputs = new ArrayList<>();
    for (List<Path> layers : step.inputs()) {
      inputs.add(new Snapshot(layers));
    }
    Path destination = step.workDirectory().resolve("changes");
    ExecResult result;
    try {
      result = runc.run(
          ExecRequest.of(step.vertex(), dockerfile, inputs, destination, session),
          (stream, line) -> output.line(step.vertex(), stream, line));
    } catch (RunException e) {
      // Its message already names the instruction, exit code and last output lines.
      throw new SolveException(step.vertex(), e.getMessage(), e);
    }
    return switch (result.changes()) {
      case LayerChanges.OverlayUpper upper -> new ExecChanges.OverlayUpper(upper.root());
      case LayerChanges.Diff diff -> new ExecChanges.Diff(diff.root(), diff.deletions());
    };
  }
}
