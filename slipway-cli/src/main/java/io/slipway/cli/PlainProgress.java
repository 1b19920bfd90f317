package io.slipway.cli;

import io.slipway.build.graph.Vertex;
import io.slipway.build.run.OutputListener;
import io.slipway.build.solver.SolvedVertex;
import io.slipway.oci.Digest;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Progress as plain lines in the reference builder's {@code --progress=plain} style: a number per
 * step, the step's description, then {@code CACHED}, {@code DONE 0.3s} or {@code ERROR}; RUN
 * output indented under it; one line per blob pulled or pushed when it starts and when it is done.
 * Only steps from Dockerfile instructions are shown. Safe for concurrent use: lines are written
 * whole under the writer's own lock, which is never held across other work.
 */
final class PlainProgress implements BuildProgress {

  private final PrintWriter out;
  private final AtomicInteger next = new AtomicInteger(1);
  private final ConcurrentHashMap<Vertex, Integer> numbers = new ConcurrentHashMap<>();
  private final TransferBoard transfers = new TransferBoard();

  PlainProgress(PrintWriter out) {
    this.out = out;
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
    if (ProgressBoard.shown(vertex)) {
      line("#" + number(vertex) + " " + vertex.description());
    }
  }

  @Override
  public void finished(SolvedVertex result, Duration elapsed) {
    if (ProgressBoard.shown(result.vertex())) {
      line("#" + number(result.vertex()) + (result.cached() ? " CACHED"
          : String.format(Locale.ROOT, " DONE %.1fs", elapsed.toMillis() / 1000.0)));
    }
  }

  @Override
  public void failed(Vertex vertex, Throwable error) {
    if (ProgressBoard.shown(vertex)) {
      line("#" + number(vertex) + " ERROR: " + error.getMessage());
    }
  }

  @Override
  public void line(Vertex vertex, OutputListener.Stream stream, String text) {
    line("  " + text);
  }

  @Override
  public void started(Digest digest, long size, String action) {
    transfers.started(digest, size, action);
    line(action + " " + TransferBoard.shortName(digest) + " (" + TransferBoard.human(size) + ")");
  }

  @Override
  public void progressed(Digest digest, long bytes) {
    transfers.progressed(digest, bytes);
  }

  @Override
  public void finished(Digest digest) {
    if (transfers.get(digest).isPresent()) {
      transfers.finished(digest);
      line("done " + TransferBoard.shortName(digest));
    }
  }

  @Override
  public void finish(boolean succeeded) {
    synchronized (out) {
      out.flush();
    }
  }
}
