package io.slipway.cli;

import io.slipway.client.TransferListener;
import io.slipway.oci.Digest;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Shows blob transfers of copy, pull and push: on a terminal one live status line redrawn at most
 * ten times a second, otherwise one plain line per blob started and finished, for logs. The state
 * lives in a {@link TransferBoard}, shared with the build's display. Thread-safe: transfer threads
 * call it concurrently; each line is a single print, which the stream keeps whole.
 */
final class TransferProgress implements TransferListener {

  private final PrintStream out;
  private final boolean live;
  private final TransferBoard board = new TransferBoard();
  private final AtomicLong lastDraw = new AtomicLong();

  TransferProgress(PrintStream out, boolean live) {
    this.out = out;
    this.live = live;
  }

  /** Live when standard error is a terminal that can take a redrawn line. */
  static TransferProgress forStderr() {
    return new TransferProgress(System.err,
        Terminals.stderrIsTerminal() && Terminals.canMoveCursor(System.getenv()));
  }

  @Override
  public void started(Digest digest, long size, String action) {
    board.started(digest, size, action);
    if (!live) {
      out.println(action + " " + TransferBoard.shortName(digest) + " ("
          + TransferBoard.human(size) + ")");
    } else {
      draw(true);
    }
  }

  @Override
  public void progressed(Digest digest, long bytes) {
    board.progressed(digest, bytes);
    if (live) {
      draw(false);
    }
  }

  @Override
  public void finished(Digest digest) {
    boolean known = board.get(digest).isPresent();
    board.finished(digest);
    if (!live && known) {
      out.println("done " + TransferBoard.shortName(digest));
    }
    if (live) {
      draw(true);
    }
  }

  /** Ends the live line. */
  void close() {
    if (live) {
      draw(true);
      out.println();
    }
  }

  private void draw(boolean force) {
    long now = System.nanoTime();
    long last = lastDraw.get();
    if (!force && now - last < 100_000_000L) {
      return;
    }
    if (!lastDraw.compareAndSet(last, now) && !force) {
      return;
    }
    TransferBoard.View view = board.view();
    String line = String.format("\r%d/%d blobs  %s / %s", view.finished(),
        view.transfers().size(), TransferBoard.human(view.bytesDone()),
        TransferBoard.human(view.bytesTotal()));
    // One print call: PrintStream serializes it, so concurrent draws never interleave.
    out.print(line + "\u001b[K");
    out.flush();
  }
}
