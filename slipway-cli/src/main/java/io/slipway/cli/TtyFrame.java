package io.slipway.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Lays out one frame of the build's terminal display from a board snapshot, as plain text lines
 * no wider than the terminal (one column is left free so no line wraps, which would throw off the
 * redraw's cursor arithmetic):
 *
 * <pre>
 * [+] Building 2.4s (2/4)
 *  => CACHED  [1/4] FROM docker.io/library/busybox               0.0s
 *  => DONE    [2/4] COPY a /a                                    0.3s
 *  => RUNNING [3/4] RUN make                                     1.9s
 *  => => # cc -c main.c
 *  => WAITING [4/4] RUN make test
 *  => push sha256:0123456789ab [=======>      ] 1.2 MiB / 3.0 MiB
 * </pre>
 *
 * A pure function of its inputs (the time is passed in), so frames can be tested exactly.
 * Stateless; safe for concurrent use.
 */
final class TtyFrame {

  /** Most step lines a frame shows; older finished steps fold into one line beyond it. */
  static final int MAX_STEPS = 24;

  private static final int MIN_BAR = 7;
  private static final int MAX_BAR = 32;

  private TtyFrame() {}

  /**
   * The lines of a frame at {@code now} (nanoseconds on the board's clock) for a build that began
   * at {@code begin}; {@code outcome} is empty while the build runs, else FINISHED or FAILED.
   */
  static List<String> render(ProgressBoard.Snapshot board, TransferBoard.View transfers,
      long begin, long now, int width, String outcome) {
    List<String> lines = new ArrayList<>();
    long over = board.steps().stream().filter(s -> s.state().over()).count();
    lines.add(fit("[+] Building " + seconds(now - begin) + " (" + over + "/"
        + board.steps().size() + ")" + (outcome.isEmpty() ? "" : " " + outcome), width));
    List<ProgressBoard.Step> steps = board.steps();
    int hide = Math.max(0, steps.size() - MAX_STEPS);
    int hidden = 0;
    for (ProgressBoard.Step step : steps) {
      // Fold the oldest finished steps first: running and waiting ones are what the user watches.
      if (hidden < hide && step.state().over() && step.state() != ProgressBoard.State.ERROR) {
        hidden++;
        continue;
      }
      lines.add(stepLine(step, now, width));
      if (step.state() == ProgressBoard.State.RUNNING
          || step.state() == ProgressBoard.State.ERROR) {
        for (String tail : step.tail()) {
          lines.add(fit(" => => # " + tail, width));
        }
      }
    }
    if (hidden > 0) {
      lines.add(1, fit(" => ... " + hidden + " earlier steps finished", width));
    }
    for (TransferBoard.Transfer transfer : transfers.transfers()) {
      if (!transfer.finished()) {
        String left = " => " + transfer.action() + " " + transfer.shortName() + " ";
        String right = " " + TransferBoard.human(transfer.done()) + " / "
            + TransferBoard.human(transfer.size());
        // The bar takes the room the text leaves, within bounds that keep it readable.
        int bar = Math.clamp(width - 1 - left.length() - right.length(), MIN_BAR, MAX_BAR);
        lines.add(fit(left + TransferBoard.bar(transfer.done(), transfer.size(), bar) + right,
            width));
      }
    }
    if (!transfers.transfers().isEmpty()) {
      lines.add(fit(" => blobs " + transfers.finished() + "/" + transfers.transfers().size()
          + " " + TransferBoard.human(transfers.bytesDone()) + " / "
          + TransferBoard.human(transfers.bytesTotal()), width));
    }
    return lines;
  }

  /** The one line printed after the final frame. */
  static String summary(ProgressBoard.Snapshot board, TransferBoard.View transfers, long begin,
      long now, boolean succeeded) {
    StringBuilder line = new StringBuilder(succeeded ? "Built" : "Failed");
    line.append(" in ").append(seconds(now - begin)).append(": ")
        .append(board.steps().size()).append(" steps, ")
        .append(board.count(ProgressBoard.State.CACHED)).append(" cached, ")
        .append(board.count(ProgressBoard.State.DONE)).append(" run");
    long errors = board.count(ProgressBoard.State.ERROR);
    if (errors > 0) {
      line.append(", ").append(errors).append(" failed");
    }
    if (!transfers.transfers().isEmpty()) {
      line.append("; ").append(transfers.finished()).append(" blobs transferred (")
          .append(TransferBoard.human(transfers.bytesDone())).append(')');
    }
    return line.toString();
  }

  private static String stepLine(ProgressBoard.Step step, long now, int width) {
    String left = " => " + String.format(Locale.ROOT, "%-8s", step.state().name())
        + step.description();
    String right = switch (step.state()) {
      case WAITING -> "";
      case RUNNING -> seconds(now - step.startNanos());
      case CACHED, DONE, ERROR -> seconds(step.endNanos() - step.startNanos());
    };
    int room = width - 1;
    if (right.isEmpty()) {
      return fit(left, width);
    }
    int leftRoom = room - right.length() - 1;
    if (leftRoom < 8) {
      return fit(left, width);
    }
    String shown = left.length() > leftRoom ? left.substring(0, leftRoom - 3) + "..." : left;
    return shown + " ".repeat(room - shown.length() - right.length()) + right;
  }

  /** Cuts {@code line} to fit {@code width - 1} columns. */
  static String fit(String line, int width) {
    int room = Math.max(1, width - 1);
    if (line.length() <= room) {
      return line;
    }
    return room <= 3 ? line.substring(0, room) : line.substring(0, room - 3) + "...";
  }

  private static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.1fs", Math.max(0, nanos) / 1e9);
  }
}
