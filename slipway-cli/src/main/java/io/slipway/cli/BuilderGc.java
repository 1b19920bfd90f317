package io.slipway.cli;

import io.slipway.build.engine.BuildEngine;
import io.slipway.build.prune.ByteSize;
import io.slipway.build.prune.GcSettings;
import io.slipway.build.prune.PruneResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Automatic GC after each successful {@code slipway build}: applies the builder configuration's policies
 * ({@code ROOT/builder.yaml}, else the defaults) at most once per configured interval, counted
 * across processes in the build database. It never fails the build: any problem is one warning
 * line. Stateless.
 */
final class BuilderGc {

  private BuilderGc() {}

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
