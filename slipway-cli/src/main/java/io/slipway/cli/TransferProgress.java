package io.slipway.cli;

import io.slipway.client.TransferListener;
import io.slipway.oci.Digest;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Shows blob transfers: on a terminal one live status line redrawn at most ten times a second,
 * otherwise one plain line per blob started and finished, for logs. Thread-safe: transfer threads
 * call it concurrently; each line is a single print, which the stream keeps whole.
 */
final class TransferProgress implements TransferListener {
  private record Transfer(String action, long size, AtomicLong done) {}

  private final PrintStream out;
  private final boolean live;
  private final Map<Digest, Transfer> transfers = new ConcurrentHashMap<>();
  private final AtomicLong lastDraw = new AtomicLong();

  TransferProgress(PrintStream out, boolean live) {
    this.out = out;
    this.live = live;
  }

  /** Live when standard error is a terminal. */
  static TransferProgress forStderr() {
    return new TransferProgress(System.err, isTerminal());
  }

  private static boolean isTerminal() {
    java.io.Console console = System.console();
    if (console == null) {
      return false;
    }
    // From JDK 22 a console exists even when output is redirected; Console.isTerminal (22+)
    // tells the two apart. Slipway compiles for 21, so ask for it reflectively.
    try {
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }

  @Override
  public void started(Digest digest, long size, String action) {
    transfers.put(digest, new Transfer(action, size, new AtomicLong()));
    if (!live) {
      out.println(action + " " + shortName(digest) + " (" + human(size) + ")");
    } else {
      draw(true);
    }
  }

  @Override
  public void progressed(Digest digest, long bytes) {
    Transfer transfer = transfers.get(digest);
    if (transfer != null) {
      transfer.done().addAndGet(bytes);
    }
    if (live) {
      draw(false);
    }
  }

  @Override
  public void finished(Digest digest) {
    Transfer transfer = transfers.get(digest);
    if (!live && transfer != null) {
      out.println("done " + shortName(digest));
    }
    if (transfer != null) {
      transfer.done().set(transfer.size());
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
    long total = 0;
    long done = 0;
    int finished = 0;
    for (Transfer transfer : transfers.values()) {
      total += transfer.size();
      done += Math.min(transfer.done().get(), transfer.size());
      if (transfer.done().get() >= transfer.size()) {
        finished++;
      }
    }
    String line = String.format("\r%d/%d blobs  %s / %s", finished, transfers.size(), human(done),
        human(total));
    // One print call: PrintStream serializes it, so concurrent draws never interleave.
    out.print(line + "\u001b[K");
    out.flush();
  }

  private static String shortName(Digest digest) {
    return digest.algorithm().ociName() + ":" + digest.encoded().substring(0, 12);
  }

  static String human(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    double value = bytes;
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format("%.1f %s", value, units[unit]);
  }
}
