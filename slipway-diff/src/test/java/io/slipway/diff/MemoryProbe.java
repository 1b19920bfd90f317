package io.slipway.diff;

import io.slipway.diff.structured.StructuredComparison;
import io.slipway.diff.structured.StructuredDiffer;
import io.slipway.diff.text.HeapBudget;
import io.slipway.diff.text.TextDiff;
import io.slipway.diff.text.TextDiffOptions;
import io.slipway.diff.text.TextDiffer;
import io.slipway.diff.text.TextFixtures;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs one diff workload in a JVM of its own so that {@link DiffMemoryTest} can give it a heap
 * limit. Prints {@code key=value} lines the test reads; exits non-zero on any failure, including
 * running out of heap ({@code -XX:+ExitOnOutOfMemoryError}).
 */
public final class MemoryProbe {
  private MemoryProbe() {}

  public static void main(String[] args) throws Exception {
    long started = System.nanoTime();
    switch (args[0]) {
      case "text" -> text(Path.of(args[1]), Path.of(args[2]), Path.of(args[3]));
      case "structured" -> structured(Path.of(args[1]), Path.of(args[2]), Path.of(args[3]));
      case "concurrent" -> concurrent(Path.of(args[1]), Integer.parseInt(args[2]), Long.parseLong(args[3]));
      default -> throw new IllegalArgumentException("unknown mode " + args[0]);
    }
    System.out.println("elapsedMillis=" + (System.nanoTime() - started) / 1_000_000);
    System.out.println("peakHeapBytes=" + peakHeap());
  }

  /** Diffs A and B as text; writes the unified diff to OUT, or only counts it when OUT is "-". */
  private static void text(Path a, Path b, Path out) throws Exception {
    resetPeaks();
    TextDiff diff = new TextDiffer().compare(a, b);
    CountingStream counter = new CountingStream(out.toString().equals("-") ? null : Files.newOutputStream(out));
    try (counter) {
      diff.writeUnified(counter, "a", "b");
    }
    System.out.println("linesAdded=" + diff.linesAdded());
    System.out.println("linesRemoved=" + diff.linesRemoved());
    System.out.println("degraded=" + diff.degraded());
    System.out.println("costSteps=" + diff.costSteps());
    System.out.println("costLimit=" + diff.costLimit());
    System.out.println("patchBytes=" + counter.count);
  }

  /** Diffs A and B as JSON trees; writes the JSON Patch to OUT. */
  private static void structured(Path a, Path b, Path out) throws Exception {
    resetPeaks();
    StructuredComparison comparison = new StructuredDiffer().compare(a, b);
    switch (comparison) {
      case StructuredComparison.Structured structured -> {
        try (OutputStream patch = Files.newOutputStream(out)) {
          structured.diff().writeJsonPatch(patch);
        }
        System.out.println("mode=structured");
        System.out.println("changes=" + structured.diff().changes().size());
      }
      case StructuredComparison.TextFallback fallback -> {
        System.out.println("mode=text");
        System.out.println("note=" + fallback.note());
      }
    }
  }

  /** Generates {@code pairs} pairs of documents of {@code size} bytes and diffs them all at once. */
  private static void concurrent(Path dir, int pairs, long size) throws Exception {
    for (int i = 0; i < pairs; i++) {
      TextFixtures.writeCrdJson(dir.resolve(i + "-a.json"), size, i, 0);
      TextFixtures.writeCrdJson(dir.resolve(i + "-b.json"), size, i, 1);
    }
    resetPeaks();
    // The budget, not the caller, bounds how many working sets exist at once.
    TextDiffer differ = new TextDiffer(TextDiffOptions.DEFAULTS, HeapBudget.ofMaxHeap(0.4));
    AtomicLong changed = new AtomicLong();
    AtomicLong patchBytes = new AtomicLong();
    List<Future<?>> futures = new ArrayList<>();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < pairs; i++) {
        int pair = i;
        futures.add(
            threads.submit(
                () -> {
                  TextDiff diff = differ.compare(dir.resolve(pair + "-a.json"), dir.resolve(pair + "-b.json"));
                  CountingStream counter = new CountingStream(null);
                  diff.writeUnified(counter, "a", "b");
                  changed.addAndGet(diff.linesAdded());
                  patchBytes.addAndGet(counter.count);
                  return null;
                }));
      }
      for (Future<?> future : futures) {
        future.get();
      }
    }
    System.out.println("pairs=" + pairs);
    System.out.println("linesAdded=" + changed.get());
    System.out.println("patchBytes=" + patchBytes.get());
  }

  static void resetPeaks() {
    System.gc();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      pool.resetPeakUsage();
    }
  }

  /** Sum of the heap pools' peak use since the last reset (includes garbage not yet collected). */
  static long peakHeap() {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    return peak;
  }

  /** Counts bytes and forwards them to a file, or drops them. */
  static final class CountingStream extends OutputStream {
    private final OutputStream target;
    long count;

    CountingStream(OutputStream target) {
      this.target = target;
    }

    @Override
    public void write(int b) throws java.io.IOException {
      count++;
      if (target != null) {
        target.write(b);
      }
    }

    @Override
    public void write(byte[] b, int off, int len) throws java.io.IOException {
      count += len;
      if (target != null) {
        target.write(b, off, len);
      }
    }

    @Override
    public void close() throws java.io.IOException {
      if (target != null) {
        target.close();
      }
    }
  }
}
