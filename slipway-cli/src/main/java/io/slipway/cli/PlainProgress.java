package io.slipway.cli;

import io.slipway.build.graph.Operation;
import io.slipway.build.graph.Vertex;
import io.slipway.build.solver.SolveListener;
import io.slipway.build.solver.SolvedVertex;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Progress as plain lines in the reference builder's {@code --progress=plain} style: a number per
 * step, the step's description, then {@code CACHED}, {@code DONE 0.3s} or {@code ERROR}. Only
 * steps from Dockerfile instructions are shown. Safe for concurrent use: lines are written whole
 * under the writer's own lock, which is never held across other work.
 */
final class PlainProgress implements SolveListener {

  private final PrintWriter out;
  private final AtomicInteger next = new AtomicInteger(1);
  private final ConcurrentHashMap<Vertex, Integer> numbers = new ConcurrentHashMap<>();

  PlainProgress(PrintWriter out) {
    this.out = out;
  }

  private static boolean shown(Vertex vertex) {
    return vertex.description().startsWith("[")
        && !(vertex.operation() instanceof Operation.Scratch);
  }

  private int number(Vertex vertex) {
    return numbers.computeIfAbsent(vertex, v -> next.getAndIncrement());
  }

  private void line(String text) {
    synchronized (out) {
      out.println(text);
      out.flush();
    }
  }

  @Override
  public void started(Vertex vertex) {
    if (shown(vertex)) {
      line("#" + number(vertex) + " " + vertex.description());
    }
  }

  @Override
  public void finished(SolvedVertex result, Duration elapsed) {
    if (shown(result.vertex())) {
      line("#" + number(result.vertex()) + (result.cached() ? " CACHED"
          : String.format(Locale.ROOT, " DONE %.1fs", elapsed.toMillis() / 1000.0)));
    }
  }

  @Override
  public void failed(Vertex vertex, Throwable error) {
    if (shown(vertex)) {
      line("#" + number(vertex) + " ERROR: " + error.getMessage());
    }
  }
}
