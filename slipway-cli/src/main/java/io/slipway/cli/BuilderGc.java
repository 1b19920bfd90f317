package io.slipway.cli;

import io.slipway.build.engine.BuildEngine;
import io.slipway.build.prune.ByteSize;
import io.slipway.build.prune.GcSettings;
import io.slipway.build.prune.PruneResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Automatic GC after each {@code slipway build} that ran, successful or failed: applies the builder
 * configuration's policies ({@code ROOT/builder.yaml}, else the defaults) at most once per
 * configured interval, counted across processes in the build database. It never fails the build
 * nor changes its exit status: any problem is one warning line. Not after a build cancelled by a
 * signal: whoever sent it wants the process gone promptly, and the next build runs GC anyway.
 * Stateless.
 */
final class BuilderGc {

  private BuilderGc() {}

  /** How long GC after a failed build waits for the build's interrupted steps to finish. */
  private static final Duration STEPS_WAIT = Duration.ofSeconds(10);

  /**
   * Runs GC after a build that failed, as {@link #afterBuild} does, once the build's other steps
   * (cancelled by the failure) have finished. A step still finishing could publish a layer and
   * record it after GC had found that layer unnamed and deleted it; when they take longer than
   * {@link #STEPS_WAIT}, GC is left to the next build.
   */
  static void afterFailedBuild(BuildEngine engine, Path state, PrintWriter err) {
    try {
      if (!engine.solver().awaitIdle(STEPS_WAIT)) {
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    afterBuild(engine, state, err);
  }

  /** Runs GC on {@code engine}'s root if it is due, reporting to {@code err}. */
  static void afterBuild(BuildEngine engine, Path state, PrintWriter err) {
    try {
      GcSettings settings = BuilderConfigFile.read(state.resolve(BuilderConfigFile.NAME));
      Optional<PruneResult> result = engine.pruner()
          .withOtherIndexes(BuilderRoot.coLocated(engine.database(), engine.store()))
          .pruneIfDue(settings);
      if (result.isPresent() && !result.get().removed().isEmpty()) {
        err.println("gc: removed " + result.get().removed().size() + " records, freeing "
            + ByteSize.format(result.get().freedBytes()));
      }
    } catch (Exception e) {
      // GC is housekeeping: the build already succeeded or failed on its own terms.
      err.println("warning: automatic GC of " + state + " failed: " + e.getMessage());
    }
    err.flush();
  }
}
