package io.slipway.build.run;

import io.slipway.build.graph.Operation;
import io.slipway.build.graph.Vertex;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One RUN step for {@link RuncExecutor}: the operation as the build graph describes it, the
 * snapshots of its inputs (index 0 is the root file system; others are what bind and cache mounts
 * read, by the index the mounts name), where the step's changes go, the build's session resources
 * and an optional time limit. Immutable.
 *
 * @param destination a path that does not exist yet, on the same file system as the executor's
 *     state directory; on success the changes directory is moved there
 */
public record ExecRequest(
    Operation.Exec exec,
    List<Snapshot> inputs,
    Path destination,
    StepOrigin origin,
    BuildSession session,
    Optional<Duration> timeout) {

  public ExecRequest {
    Objects.requireNonNull(exec, "exec");
    inputs = List.copyOf(inputs);
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(session, "session");
    Objects.requireNonNull(timeout, "timeout");
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("a RUN step needs its root file system as input 0");
    }
  }

  /**
   * The request for {@code vertex}, whose operation must be {@link Operation.Exec}, with the
   * snapshots of its inputs in the vertex's order.
   */
  public static ExecRequest of(
      Vertex vertex,
      String dockerfile,
      List<Snapshot> inputs,
      Path destination,
      BuildSession session) {
    if (!(vertex.operation() instanceof Operation.Exec exec)) {
      throw new IllegalArgumentException("not a RUN vertex: " + vertex);
    }
    if (inputs.size() != vertex.inputs().size()) {
      throw new IllegalArgumentException(
          "vertex has " + vertex.inputs().size() + " inputs but " + inputs.size()
              + " snapshots were given");
    }
    return new ExecRequest(
        exec, inputs, destination, StepOrigin.of(vertex, dockerfile), session, Optional.empty());
  }

  /** A copy with a time limit. */
  public ExecRequest withTimeout(Duration limit) {
    return new ExecRequest(exec, inputs, destination, origin, session, Optional.of(limit));
  }

  /** The root file system snapshot. */
  public Snapshot rootfs() {
    return inputs.getFirst();
  }
}
