package io.slipway.build.solver;

import io.slipway.build.graph.Operation;
import io.slipway.build.graph.Vertex;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One RUN step handed to an {@link Executor}: the vertex (for its description and Dockerfile
 * location), its operation, and the read-only file systems of its inputs in the vertex's input
 * order (index 0 is the root file system; the others are what bind and cache mounts name by
 * index). Each input is a list of directories, topmost first: one complete tree, or the overlayfs
 * lower directories of a stacked snapshot ({@link io.slipway.build.snapshot.Snapshotter#layers}).
 * {@code workDirectory} is an empty directory the executor may use for its bundle and the step's
 * changes; it lives on the same file system as the snapshots and is removed by the solver after
 * the step. Immutable.
 */
public record ExecStep(
    Vertex vertex, Operation.Exec exec, List<List<Path>> inputs, Path workDirectory) {
  public ExecStep {
    Objects.requireNonNull(vertex, "vertex");
    Objects.requireNonNull(exec, "exec");
    inputs = inputs.stream().map(List::copyOf).toList();
    Objects.requireNonNull(workDirectory, "workDirectory");
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("a RUN step needs its root file system as input 0");
    }
    for (List<Path> input : inputs) {
      if (input.isEmpty()) {
        throw new IllegalArgumentException("a RUN step input needs at least one directory");
      }
    }
  }

  /** The layers of the root file system the process runs on (never written to). */
  public List<Path> rootfs() {
    return inputs.getFirst();
  }
}
