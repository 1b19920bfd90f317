package io.slipway.diff.text;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Compares two texts line by line in bounded memory.
 *
 * <p>Steps: the common prefix and suffix are found byte by byte on the (possibly mapped) inputs
 * and never split into lines; only the differing middle, widened by the context lines, is split
 * and its lines interned to ints; the ints are matched by {@link DiffAlgorithm#HISTOGRAM} or
 * {@link DiffAlgorithm#MYERS} within a step budget of {@code costFactor × lines + baseCost}, past
 * which open regions become whole replacements (see {@link TextDiff#degraded()}).
 *
 * <p><b>Memory.</b> With {@code L} the lines of both middles, {@code H} the bytes of inputs
 * smaller than the mapping threshold (read onto the heap) and {@code C} the number of changes,
 * the peak heap of one comparison is at most {@code H + 28·L + 16·C + 64 KiB} (line starts 8
 * bytes per line, ids 4, the transient intern table up to 20; the histogram index, 4 per line of
 * A plus 8 per distinct line, is allocated after the intern table is garbage; Myers adds two int
 * arrays of at most {@code 2·√budget + 3}). Mapped inputs take page cache, not heap. For texts
 * whose lines average at least 10 bytes this is below {@code 3 × (size A + size B)}; with the
 * JVM's own 16 MiB that is the target {@code 3 × inputs + 16 MiB}.
 *
 * <p>Stateless; safe for concurrent use.
 */
public final class TextDiffer {
  /** Heap of one comparison besides its per-line arrays: buffers, stack, Myers diagonals. */
  static final long FIXED_OVERHEAD_BYTES = 64 * 1024;

  /** Peak heap per line of the differing middles (both inputs), see the class comment. */
  static final long BYTES_PER_LINE = 28;

  private final TextDiffOptions options;
  private final HeapBudget budget;

  /** A differ whose comparisons allocate freely (the caller bounds their concurrency). */
  public TextDiffer(TextDiffOptions options) {
    this(options, null);
  }

  /**
   * A differ whose comparisons each reserve their working set from {@code budget} first, waiting
   * while it is spent by other comparisons.
   */
  public TextDiffer(TextDiffOptions options, HeapBudget budget) {
    this.options = options;
    this.budget = budget;
  }

  /** A differ with {@link TextDiffOptions#DEFAULTS}. */
  public TextDiffer() {
    this(TextDiffOptions.DEFAULTS);
  }

  /**
   * The peak heap, in bytes, of comparing inputs whose differing middles have {@code lines} lines
   * in total and of which {@code heapInputBytes} are held on the heap rather than mapped.
   */
  public static long estimatePeakHeap(long lines, long heapInputBytes) {
    return FIXED_OVERHEAD_BYTES + heapInputBytes + BYTES_PER_LINE * lines;
  }

  public TextDiffOptions options() {
    return options;
  }

  /**
   * Compares two files, mapping those at or above the options' threshold.
   *
   * @throws TextInputException naming the file that cannot be read
   */
  public TextDiff compare(Path a, Path b) throws TextInputException {
    return compare(
        TextInput.open(a, options.mapThresholdBytes()), TextInput.open(b, options.mapThresholdBytes()));
  }

  /** Compares two inputs. */
  public TextDiff compare(TextInput a, TextInput b) {
    ByteBuffer x = a.buffer();
    ByteBuffer y = b.buffer();
    int lengthA = a.size();
    int lengthB = b.size();
    int prefix = commonPrefix(x, y, Math.min(lengthA, lengthB));
    int context = options.contextLines();
    if (prefix == lengthA && lengthA == lengthB) {
      return new TextDiff(a, b, context, 0, new int[1], new int[1], new EditScript(), 0, 0, 0);
    }
    // The differing middle starts at a line start; the suffix must start at one in both inputs.
    int start = prefix;
    while (start > 0 && x.get(start - 1) != '\n') {
      start--;
    }
    int suffix = commonSuffix(x, lengthA, y, lengthB, Math.min(lengthA, lengthB) - start);
    while (suffix > 0 && !(lineStart(x, lengthA - suffix, start) && lineStart(y, lengthB - suffix, start))) {
      suffix--;
    }
    int endA = lengthA - suffix;
    int endB = lengthB - suffix;
    // Widen by the context lines, which the unified diff shows around the first and last change.
    for (int i = 0; i < context && start > 0; i++) {
      start--;
      while (start > 0 && x.get(start - 1) != '\n') {
        start--;
      }
    }
    for (int i = 0; i < context && endA < lengthA; i++) {
      int next = nextLine(x, endA, lengthA);
      endB += next - endA;
      endA = next;
    }
    int baseLine = 0;
    for (int i = 0; i < start; i++) {
      if (x.get(i) == '\n') {
        baseLine++;
      }
    }
    if (budget == null) {
      return match(a, b, context, baseLine, start, endA, endB);
    }
    // Reserve the working set, not the inputs: those are mapped or already on the heap.
    long lines = LineTable.countLines(x, start, endA) + LineTable.countLines(y, start, endB) + 2;
    HeapBudget.Reservation reserved = budget.reserve(estimatePeakHeap(lines, 0));
    try {
      return match(a, b, context, baseLine, start, endA, endB);
    } finally {
      reserved.close();
    }
  }

  private TextDiff match(
      TextInput a, TextInput b, int context, int baseLine, int start, int endA, int endB) {
    LineTable lines = LineTable.build(a.buffer(), start, endA, b.buffer(), start, endB);
    long limit = options.costLimit(lines.linesA(), lines.linesB());
    EditScript script = new EditScript();
    LineMatcher matcher = new LineMatcher(lines.idsA, lines.idsB, limit, script);
    matcher.run(options.algorithm(), lines.distinctLines);
    return new TextDiff(
        a, b, context, baseLine, lines.startsA, lines.startsB, script, matcher.degradedRegions(), limit, matcher.stepsTaken());
  }

  private static boolean lineStart(ByteBuffer buffer, int at, int middleStart) {
    return at == middleStart || buffer.get(at - 1) == '\n';
  }

  private static int nextLine(ByteBuffer buffer, int from, int end) {
    for (int i = from; i < end; i++) {
      if (buffer.get(i) == '\n') {
        return i + 1;
      }
    }
    return end;
  }

  private static int commonPrefix(ByteBuffer x, ByteBuffer y, int limit) {
    int i = 0;
    while (i + 8 <= limit && x.getLong(i) == y.getLong(i)) {
      i += 8;
    }
    while (i < limit && x.get(i) == y.get(i)) {
      i++;
    }
    return i;
  }

  private static int commonSuffix(ByteBuffer x, int lengthX, ByteBuffer y, int lengthY, int limit) {
    int i = 0;
    while (i + 8 <= limit && x.getLong(lengthX - i - 8) == y.getLong(lengthY - i - 8)) {
      i += 8;
    }
    while (i < limit && x.get(lengthX - i - 1) == y.get(lengthY - i - 1)) {
      i++;
    }
    return i;
  }
}
