package io.slipway.cli;

import io.slipway.client.TransferListener;
import io.slipway.oci.Digest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The state of blob transfers (pulls, pushes, mounts) for every progress display: which blobs
 * are moving, how many bytes of each have moved, which are done, and how a transfer is drawn as a
 * bar. {@link TransferProgress} (copy, pull, push) and the build's terminal display both read it,
 * so transfers look the same everywhere. Safe for concurrent use: transfer threads report into
 * concurrent collections and atomics; readers take a {@link #view() consistent-enough view} that
 * never blocks a writer.
 */
final class TransferBoard implements TransferListener {

  /** One transfer as a display shows it. */
  record Transfer(Digest digest, String action, long size, long done, boolean finished) {

    /** The digest as displays abbreviate it: algorithm and 12 hex digits. */
    String shortName() {
      return TransferBoard.shortName(digest);
    }
  }

  /** All transfers, in the order they started, with totals over them. */
  record View(List<Transfer> transfers, long bytesDone, long bytesTotal, int finished) {}

  private record Entry(String action, long size, AtomicLong done, AtomicBoolean finished) {}

  private final Map<Digest, Entry> entries = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Digest> order = new ConcurrentLinkedQueue<>();

  @Override
  public void started(Digest digest, long size, String action) {
    if (entries.putIfAbsent(digest, new Entry(action, size, new AtomicLong(),
        new AtomicBoolean())) == null) {
      order.add(digest);
    }
  }

  @Override
  public void progressed(Digest digest, long bytes) {
    Entry entry = entries.get(digest);
    if (entry != null) {
      entry.done().addAndGet(bytes);
    }
  }

  @Override
  public void finished(Digest digest) {
    Entry entry = entries.get(digest);
    if (entry != null) {
      entry.finished().set(true);
    }
  }

  /** The transfer of {@code digest}, if it started. */
  java.util.Optional<Transfer> get(Digest digest) {
    return java.util.Optional.ofNullable(entries.get(digest)).map(e -> transfer(digest, e));
  }

  /** Every transfer so far, in start order, with totals. */
  View view() {
    List<Transfer> transfers = new ArrayList<>();
    long done = 0;
    long total = 0;
    int finished = 0;
    for (Digest digest : order) {
      Transfer transfer = transfer(digest, entries.get(digest));
      transfers.add(transfer);
      done += transfer.done();
      total += transfer.size();
      if (transfer.finished()) {
        finished++;
      }
    }
    return new View(List.copyOf(transfers), done, total, finished);
  }

  private static Transfer transfer(Digest digest, Entry entry) {
    boolean finished = entry.finished().get();
    // A finished blob counts whole: mounts and "exists" move no bytes but are complete.
    long done = finished ? entry.size() : Math.min(entry.done().get(), entry.size());
    return new Transfer(digest, entry.action(), entry.size(), done, finished);
  }

  /** {@code [=====>    ]}: a bar {@code width} characters wide, brackets included. */
  static String bar(long done, long total, int width) {
    int inside = Math.max(1, width - 2);
    int filled = total <= 0 ? inside : (int) Math.min(inside, done * inside / total);
    StringBuilder bar = new StringBuilder(width).append('[');
    for (int i = 0; i < inside; i++) {
      bar.append(i < filled ? '=' : i == filled ? '>' : ' ');
    }
    return bar.append(']').toString();
  }

  static String shortName(Digest digest) {
    return digest.algorithm().ociName() + ":" + digest.encoded().substring(0, 12);
  }

  /** Bytes in binary units with one decimal: {@code 512 B}, {@code 3.0 MiB}. */
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
    return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }
}
