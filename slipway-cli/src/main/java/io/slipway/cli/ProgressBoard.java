package io.slipway.cli;

import io.slipway.build.graph.Operation;
import io.slipway.build.graph.Vertex;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The state of one build's steps for the terminal display: each step shown to the user, its state
 * (waiting, running, cached, done, error), when it started and stopped, and the last few lines a
 * running step printed. Times are whatever clock the caller passes (nanoseconds), so tests can
 * script them. Safe for concurrent use: every method takes this board's monitor for an in-memory
 * update or copy only, never across I/O; {@link #snapshot} hands readers an immutable copy.
 */
final class ProgressBoard {

  /** Where a step is. */
  enum State {
    WAITING,
    RUNNING,
    CACHED,
    DONE,
    ERROR;

    boolean over() {
      return this == CACHED || this == DONE || this == ERROR;
    }
  }

  /** One step as it stands; {@code endNanos} is meaningful only once the step is over. */
  record Step(String description, State state, long startNanos, long endNanos,
      List<String> tail, Optional<String> error) {}

  /** The whole board at one instant. */
  record Snapshot(List<Step> steps, long version) {

    long count(State state) {
      return steps.stream().filter(s -> s.state() == state).count();
    }
  }

  private static final class Mutable {
    final String description;
    State state = State.WAITING;
    long start;
    long end;
    final ArrayDeque<String> tail = new ArrayDeque<>();
    String error;

    Mutable(String description) {
      this.description = description;
    }
  }

  private final int tailLines;
  private final Map<Vertex, Mutable> steps = new LinkedHashMap<>();
  private long version;

  /** A board keeping the last {@code tailLines} output lines of each running step. */
  ProgressBoard(int tailLines) {
    this.tailLines = tailLines;
  }

  /**
   * Whether a vertex is a step the user wrote: Dockerfile instructions (described as
   * {@code [stage n/m] ...}), not internal vertices or {@code FROM scratch}.
   */
  static boolean shown(Vertex vertex) {
    return vertex.description().startsWith("[")
        && !(vertex.operation() instanceof Operation.Scratch);
  }

  synchronized void planned(List<Vertex> vertices) {
    for (Vertex vertex : vertices) {
      if (shown(vertex)) {
        steps.computeIfAbsent(vertex, v -> new Mutable(v.description()));
      }
    }
    version++;
  }

  synchronized void started(Vertex vertex, long nanos) {
    Mutable step = step(vertex);
    if (step != null) {
      step.state = State.RUNNING;
      step.start = nanos;
      version++;
    }
  }

  synchronized void finished(Vertex vertex, boolean cached, long nanos) {
    Mutable step = step(vertex);
    if (step != null) {
      step.state = cached ? State.CACHED : State.DONE;
      step.end = nanos;
      version++;
    }
  }

  synchronized void failed(Vertex vertex, String error, long nanos) {
    Mutable step = step(vertex);
    if (step != null) {
      step.state = State.ERROR;
      step.end = nanos;
      step.error = error;
      version++;
    }
  }

  synchronized void output(Vertex vertex, String line) {
    Mutable step = step(vertex);
    if (step != null && tailLines > 0) {
      if (step.tail.size() == tailLines) {
        step.tail.removeFirst();
      }
      step.tail.addLast(printable(line));
      version++;
    }
  }

  synchronized Snapshot snapshot() {
    List<Step> copy = new ArrayList<>(steps.size());
    for (Mutable step : steps.values()) {
      copy.add(new Step(step.description, step.state, step.start, step.end,
          List.copyOf(step.tail), Optional.ofNullable(step.error)));
    }
    return new Snapshot(List.copyOf(copy), version);
  }

  /** The step for {@code vertex}; one the plan did not list is added when shown. */
  private Mutable step(Vertex vertex) {
    if (!shown(vertex)) {
      return null;
    }
    return steps.computeIfAbsent(vertex, v -> new Mutable(v.description()));
  }

  /** Control characters (a step's own cursor moves, tabs) would break the redrawn block. */
  private static String printable(String line) {
    StringBuilder clean = new StringBuilder(line.length());
    line.codePoints().forEach(c -> {
      if (c == '\t') {
        clean.append("  ");
      } else if (!Character.isISOControl(c)) {
        clean.appendCodePoint(c);
      }
    });
    return clean.toString();
  }
}
