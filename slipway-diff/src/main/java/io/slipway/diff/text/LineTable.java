package io.slipway.diff.text;

import java.nio.ByteBuffer;

/**
 * The lines of the differing middles of two inputs, each line reduced to an int that is equal for
 * equal lines (interned by hash, compared byte for byte on a hash hit). Holds no per-line objects:
 * line starts and ids are int arrays, so its heap is {@code 8 bytes × lines} plus the transient
 * intern table of {@code 16 bytes × lines} while it is built. Confined to the thread that builds
 * the diff.
 */
final class LineTable {
  /** Starts of lines of A within its buffer; {@code startsA[n]} is the end of the last line. */
  final int[] startsA;

  final int[] startsB;
  final int[] idsA;
  final int[] idsB;
  final int distinctLines;

  private LineTable(int[] startsA, int[] startsB, int[] idsA, int[] idsB, int distinctLines) {
    this.startsA = startsA;
    this.startsB = startsB;
    this.idsA = idsA;
    this.idsB = idsB;
    this.distinctLines = distinctLines;
  }

  int linesA() {
    return idsA.length;
  }

  int linesB() {
    return idsB.length;
  }

  /** Splits {@code a[fromA, toA)} and {@code b[fromB, toB)} into lines and interns them. */
  static LineTable build(ByteBuffer a, int fromA, int toA, ByteBuffer b, int fromB, int toB) {
    int[] startsA = lineStarts(a, fromA, toA);
    int[] startsB = lineStarts(b, fromB, toB);
    int n = startsA.length - 1;
    int m = startsB.length - 1;
    Interner interner = new Interner(a, startsA, b, startsB);
    int[] idsA = new int[n];
    int[] idsB = new int[m];
    for (int i = 0; i < n; i++) {
      idsA[i] = interner.intern(a, startsA[i], startsA[i + 1], i);
    }
    for (int j = 0; j < m; j++) {
      idsB[j] = interner.intern(b, startsB[j], startsB[j + 1], n + j);
    }
    return new LineTable(startsA, startsB, idsA, idsB, interner.distinct);
  }

  /** Line starts in {@code [from, to)}, plus {@code to} as the end of the last line. */
  private static int[] lineStarts(ByteBuffer buffer, int from, int to) {
    int lines = countLines(buffer, from, to);
    int[] starts = new int[lines + 1];
    int line = 0;
    starts[0] = from;
    for (int i = nextNewline(buffer, from, to); i < to; i = nextNewline(buffer, i + 1, to)) {
      starts[++line] = i + 1;
    }
    starts[lines] = to;
    return starts;
  }

  /** Lines in {@code [from, to)}, counting an unterminated last line. */
  static int countLines(ByteBuffer buffer, int from, int to) {
    int count = 0;
    for (int i = nextNewline(buffer, from, to); i < to; i = nextNewline(buffer, i + 1, to)) {
      count++;
    }
    return count + (to > from && buffer.get(to - 1) != '\n' ? 1 : 0);
  }

  private static final long NEWLINES = 0x0a0a0a0a0a0a0a0aL;
  private static final long LOW_BITS = 0x0101010101010101L;
  private static final long HIGH_BITS = 0x8080808080808080L;

  /**
   * The index of the first newline in {@code [from, to)}, or {@code to}. Eight bytes at a time
   * with the classic has-zero-byte test on {@code word ^ 0x0a0a…}: splitting lines is most of the
   * work on inputs that are mostly equal.
   */
  static int nextNewline(ByteBuffer buffer, int from, int to) {
    int i = from;
    for (; i + 8 <= to; i += 8) {
      long word = buffer.getLong(i) ^ NEWLINES;
      long found = (word - LOW_BITS) & ~word & HIGH_BITS;
      if (found != 0) {
        // The test may also flag a byte next to a true newline, never without one; find it.
        for (int j = i; ; j++) {
          if (buffer.get(j) == '\n') {
            return j;
          }
        }
      }
    }
    for (; i < to; i++) {
      if (buffer.get(i) == '\n') {
        return i;
      }
    }
    return to;
  }

  static int hash(ByteBuffer buffer, int from, int to) {
    int h = 0x9747b28c;
    int i = from;
    // Eight bytes at a time: the hash is hot on inputs of millions of lines.
    for (; i + 8 <= to; i += 8) {
      long word = buffer.getLong(i);
      h = (h ^ (int) word ^ (int) (word >>> 32)) * 0x5bd1e995;
      h ^= h >>> 15;
    }
    for (; i < to; i++) {
      h = (h ^ buffer.get(i)) * 0x01000193;
    }
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    return h;
  }

  static boolean sameBytes(ByteBuffer x, int xFrom, ByteBuffer y, int yFrom, int length) {
    if (x.hasArray() && y.hasArray()) {
      int xAt = x.arrayOffset() + xFrom;
      int yAt = y.arrayOffset() + yFrom;
      return java.util.Arrays.equals(x.array(), xAt, xAt + length, y.array(), yAt, yAt + length);
    }
    // Mapped inputs: word by word, allocating nothing (slices for ByteBuffer.mismatch would cost
    // two objects per line, more than the line's whole budget).
    int i = 0;
    for (; i + 8 <= length; i += 8) {
      if (x.getLong(xFrom + i) != y.getLong(yFrom + i)) {
        return false;
      }
    }
    for (; i < length; i++) {
      if (x.get(xFrom + i) != y.get(yFrom + i)) {
        return false;
      }
    }
    return true;
  }

  /** Open-addressing table from line content to id; dropped once the ids are assigned. */
  private static final class Interner {
    private final ByteBuffer a;
    private final int[] startsA;
    private final ByteBuffer b;
    private final int[] startsB;
    private final int linesA;
    /** Slot → id + 1, or 0 when empty. */
    private final int[] slots;
    /** Id → hash, to skip byte comparison on most collisions. */
    private final int[] hashes;
    /** Id → global index of its first line (A lines first, then B lines). */
    private final int[] firstLine;

    private final int mask;
    int distinct;

    // Reusable views for ByteBuffer.mismatch (vectorized) on mapped inputs: positioning a view
    // allocates nothing, where a slice per comparison would.
    private final ByteBuffer candidateA;
    private final ByteBuffer candidateB;
    private final ByteBuffer firstA;
    private final ByteBuffer firstB;

    Interner(ByteBuffer a, int[] startsA, ByteBuffer b, int[] startsB) {
      this.a = a;
      this.startsA = startsA;
      this.b = b;
      this.startsB = startsB;
      this.linesA = startsA.length - 1;
      int total = linesA + startsB.length - 1;
      // Load factor at most 2/3: probes stay short without doubling the table's footprint.
      long wanted = Math.max(2L, total + (long) total / 2);
      int capacity = (int) Math.min(1L << 30, Long.highestOneBit(wanted) << 1);
      this.slots = new int[capacity];
      this.mask = capacity - 1;
      this.hashes = new int[Math.max(1, total)];
      this.firstLine = new int[Math.max(1, total)];
      this.candidateA = a.duplicate();
      this.candidateB = b.duplicate();
      this.firstA = a.duplicate();
      this.firstB = b.duplicate();
    }

    private boolean same(ByteBuffer buffer, int from, ByteBuffer other, int otherFrom, int length) {
      if (buffer.hasArray() && other.hasArray()) {
        return sameBytes(buffer, from, other, otherFrom, length);
      }
      ByteBuffer x = view(buffer == a ? candidateA : candidateB, from, length);
      ByteBuffer y = view(other == a ? firstA : firstB, otherFrom, length);
      return x.mismatch(y) < 0;
    }

    private static ByteBuffer view(ByteBuffer view, int from, int length) {
      view.clear().position(from).limit(from + length);
      return view;
    }

    int intern(ByteBuffer buffer, int from, int to, int globalLine) {
      int h = hash(buffer, from, to);
      int length = to - from;
      int slot = h & mask;
      while (true) {
        int entry = slots[slot];
        if (entry == 0) {
          int id = distinct++;
          hashes[id] = h;
          firstLine[id] = globalLine;
          slots[slot] = id + 1;
          return id;
        }
        int id = entry - 1;
        if (hashes[id] == h) {
          int line = firstLine[id];
          ByteBuffer other;
          int otherFrom;
          int otherTo;
          if (line < linesA) {
            other = a;
            otherFrom = startsA[line];
            otherTo = startsA[line + 1];
          } else {
            other = b;
            otherFrom = startsB[line - linesA];
            otherTo = startsB[line - linesA + 1];
          }
          if (otherTo - otherFrom == length && same(buffer, from, other, otherFrom, length)) {
            return id;
          }
        }
        slot = (slot + 1) & mask;
      }
    }
  }
}
