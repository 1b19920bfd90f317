package io.slipway.diff.text;

import java.util.concurrent.CancellationException;
import java.util.concurrent.Semaphore;

/**
 * Heap shared by concurrent diffs. Each comparison reserves its working set, computed from the
 * line counts of its inputs by {@link TextDiffer}'s formula, before allocating it, and waits while
 * the budget is spent; so a bulk job that starts hundreds of diffs at once runs as many at a time
 * as the heap holds instead of running out of it. A reservation larger than the whole budget is
 * cut to the whole budget: that diff runs alone rather than never. The budget covers the
 * transient working set; the {@link TextDiff} a comparison returns keeps 8 bytes per line until the
 * caller drops it.
 *
 * <p>Safe for concurrent use (a fair semaphore in KiB units; no lock is held while diffing).
 */
public final class HeapBudget {
  private final Semaphore kibibytes;
  private final int totalKib;

  private HeapBudget(long bytes) {
    if (bytes < 1024) {
      throw new IllegalArgumentException("budget must be at least 1 KiB, was " + bytes);
    }
    this.totalKib = (int) Math.min(Integer.MAX_VALUE, bytes / 1024);
    this.kibibytes = new Semaphore(totalKib, true);
  }

  /** A budget of the given number of bytes. */
  public static HeapBudget ofBytes(long bytes) {
    return new HeapBudget(bytes);
  }

  /** A budget of a fraction of this JVM's maximum heap ({@code -Xmx}). */
  public static HeapBudget ofMaxHeap(double fraction) {
    if (!(fraction > 0 && fraction <= 1)) {
      throw new IllegalArgumentException("fraction must be in (0, 1], was " + fraction);
    }
    return new HeapBudget((long) (Runtime.getRuntime().maxMemory() * fraction));
  }

  /** The whole budget in bytes. */
  public long totalBytes() {
    return totalKib * 1024L;
  }

  /**
   * Waits until {@code bytes} are free and takes them.
   *
   * @throws CancellationException when the thread is interrupted while waiting (its interrupt
   *     flag is set again)
   */
  Reservation reserve(long bytes) {
    int kib = (int) Math.min(totalKib, Math.max(1, (bytes + 1023) / 1024));
    try {
      kibibytes.acquire(kib);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      CancellationException cancelled =
          new CancellationException("interrupted while waiting for " + kib + " KiB of diff heap budget");
      cancelled.initCause(e);
      throw cancelled;
    }
    return new Reservation(this, kib);
  }

  /** Heap taken from a budget; give it back with {@link #close()}, once. */
  record Reservation(HeapBudget budget, int kib) implements AutoCloseable {
    @Override
    public void close() {
      budget.kibibytes.release(kib);
    }
  }
}
