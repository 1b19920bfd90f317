package io.slipway.build.engine;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.slipway.build.run.BuildSession;
import io.slipway.build.run.ExecutorOptions;
import io.slipway.build.run.OutputListener;
import io.slipway.build.run.RuncExecutor;
import io.slipway.build.solver.Executor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real RUN executor for engine-level tests: runc with its state under a test directory, as
 * {@code slipway build} wires it. Skips the calling test when not root, since Slipway runs runc
 * rootful only. Stateless.
 */
final class RuncSteps {

  private RuncSteps() {}

  /** An executor whose state is under {@code state}, with {@code session}'s secrets. */
  static Executor open(Path state, BuildSession session, OutputListener output)
      throws IOException {
    assumeTrue(isRoot(), "runc RUN steps need root here");
    return new RuncStepExecutor(RuncExecutor.open(ExecutorOptions.defaults(state)), session,
        "Dockerfile", (vertex, stream, line) -> output.line(stream, line));
  }

  /** An executor with no secrets that drops the steps' output. */
  static Executor open(Path state) throws IOException {
    return open(state, BuildSession.empty(), (stream, line) -> { });
  }

  private static boolean isRoot() throws IOException {
    return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
  }
}
