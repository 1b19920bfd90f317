package io.slipway.cli;

import io.slipway.build.graph.Vertex;
import io.slipway.build.run.OutputListener;
import io.slipway.build.solver.SolvedVertex;
import io.slipway.oci.Digest;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * The build's live terminal display ({@code --progress=tty}): a block of lines, one per step with
 * its state and elapsed time, the last lines of running steps' output and a bar per blob moving,
 * redrawn in place at {@link #INTERVAL} by one drawing thread. Listener callbacks only update the
 * {@link ProgressBoard} and {@link TransferBoard} in memory, so the many solver and transfer
 * threads never write to the terminal and never wait on it.
 *
 * <p>Thread-safe: callbacks may come from any thread. Writing is confined to the drawing thread
 * and, once {@link #finish} has stopped and joined it, to the caller of {@code finish}; the
 * caller then prints the error or result below the final frame, which is never redrawn over.
 */
final class TtyProgress implements BuildProgress {

  /** Redraw period: 12.5 frames a second, smooth for a human and cheap for the machine. */
  static final Duration INTERVAL = Duration.ofMillis(80);

  /** Output lines kept under a running step. */
  static final int TAIL_LINES = 5;

  private static final String ESC = "\u001b[";

  private final PrintWriter out;
  private final int width;
  private final LongSupplier clock;
  private final long begin;
  private final ProgressBoard board = new ProgressBoard(TAIL_LINES);
  private final TransferBoard transfers = new TransferBoard();
  private final Object drawing = new Object();

  /** Lines of the last frame, to move back over; touched only by whoever draws (see above). */
  private int drawn;

  private Thread renderer;

  private final AtomicBoolean finished = new AtomicBoolean();

  /**
   * A display writing to {@code out}, {@code width} columns wide, timing steps with {@code clock}
   * (nanoseconds, such as {@code System::nanoTime}).
   */
  TtyProgress(PrintWriter out, int width, LongSupplier clock) {
    this.out = out;
    this.width = width;
    this.clock = clock;
    this.begin = clock.getAsLong();
  }

  /** Starts the drawing thread. */
  void start() {
    // Hide the cursor while the block is redrawn, so it does not flicker across the lines.
    out.print(ESC + "?25l");
    out.flush();
    renderer = Thread.ofPlatform().daemon().name("slipway-progress").start(() -> {
      try {
        while (!Thread.currentThread().isInterrupted()) {
          draw("");
          Thread.sleep(INTERVAL);
        }
      } catch (InterruptedException e) {
        // finish() stops the loop; it draws the final frame itself.
      }
    });
  }

  /** Draws the current frame over the previous one; {@code outcome} is empty while running. */
  void draw(String outcome) {
    List<String> lines = TtyFrame.render(board.snapshot(), transfers.view(), begin,
        clock.getAsLong(), width, outcome);
    synchronized (drawing) {
      StringBuilder frame = new StringBuilder(lines.size() * (width + 8));
      if (drawn > 0) {
        frame.append('\r').append(ESC).append(drawn).append('A');
      }
      for (String line : lines) {
        frame.append(line).append(ESC).append('K').append('\n');
      }
      // The block may have shrunk (steps folded, transfers done): clear what is left below it.
      frame.append(ESC).append('J');
      out.print(frame);
      out.flush();
      drawn = lines.size();
    }
  }

  @Override
  public void finish(boolean succeeded) {
    if (!finished.compareAndSet(false, true)) {
      return;
    }
    if (renderer != null) {
      renderer.interrupt();
      boolean interrupted = false;
      while (renderer.isAlive()) {
        try {
          renderer.join();
        } catch (InterruptedException e) {
          // The final frame must still be drawn, or the error would land inside the block.
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    draw(succeeded ? "FINISHED" : "FAILED");
    long now = clock.getAsLong();
    out.println(TtyFrame.summary(board.snapshot(), transfers.view(), begin, now, succeeded));
    out.print(ESC + "?25h");
    out.flush();
  }

  @Override
  public void planned(List<Vertex> vertices) {
    board.planned(vertices);
  }

  @Override
  public void started(Vertex vertex) {
    board.started(vertex, clock.getAsLong());
  }

  @Override
  public void finished(SolvedVertex result, Duration elapsed) {
    board.finished(result.vertex(), result.cached(), clock.getAsLong());
  }

  @Override
  public void failed(Vertex vertex, Throwable error) {
    board.failed(vertex, String.valueOf(error.getMessage()), clock.getAsLong());
  }

  @Override
  public void line(Vertex vertex, OutputListener.Stream stream, String line) {
    board.output(vertex, line);
  }

  @Override
  public void started(Digest digest, long size, String action) {
    transfers.started(digest, size, action);
  }

  @Override
  public void progressed(Digest digest, long bytes) {
    transfers.progressed(digest, bytes);
  }

  @Override
  public void finished(Digest digest) {
    transfers.finished(digest);
  }
}
