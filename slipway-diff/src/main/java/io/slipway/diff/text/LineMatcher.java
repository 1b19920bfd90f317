package io.slipway.diff.text;

import java.util.Arrays;

/**
 * Matches two sequences of interned lines and records their differences in an {@link EditScript},
 * within a step budget. Regions are processed from an explicit stack, left before right, so the
 * script comes out in order and deep recursion cannot overflow the thread stack.
 *
 * <p>When the budget runs out, each region still open is recorded as one replacement after its
 * common first and last lines are trimmed: the script stays a correct one, only coarser.
 *
 * <p>Myers finds the shortest script unless one search needs more than {@code max(256, √(n + m))}
 * edits; then, as GNU diff does, it splits at the furthest point reached and solves the halves,
 * which keeps large inputs with many scattered changes inside the budget.
 *
 * <p>Heap beyond the inputs: histogram keeps {@code 4 bytes × lines of A + 8 bytes × distinct
 * lines}; Myers keeps two arrays of {@code 2·D + 3} ints where {@code D ≤ √budget}. Confined to
 * one thread.
 */
final class LineMatcher {
  /** Histogram gives up on lines repeated more often than this in a region and uses Myers. */
  static final int MAX_CHAIN = 64;

  private static final int HISTOGRAM = 0;
  private static final int MYERS = 1;

  private final int[] a;
  private final int[] b;
  private final EditScript script;
  private final long limit;
  private long budget;
  private int degradedRegions;

  private int[] stack = new int[5 * 64];
  private int stackSize;

  // Histogram index, allocated on first use.
  private int[] count;
  private int[] head;
  private int[] next;

  // Myers diagonals, grown on demand.
  private int[] forward = new int[0];
  private int[] backward = new int[0];

  LineMatcher(int[] a, int[] b, long budget, EditScript script) {
    this.a = a;
    this.b = b;
    this.limit = budget;
    this.budget = budget;
    this.script = script;
  }

  /** Steps taken so far (at most a little over the limit: a step is charged after it is taken). */
  long stepsTaken() {
    return limit - budget;
  }

  /** Regions given up as whole replacements because the budget ran out. */
  int degradedRegions() {
    return degradedRegions;
  }

  void run(DiffAlgorithm algorithm, int distinctLines) {
    if (algorithm == DiffAlgorithm.HISTOGRAM) {
      count = new int[distinctLines];
      head = new int[distinctLines];
      next = new int[a.length];
    }
    push(algorithm == DiffAlgorithm.HISTOGRAM ? HISTOGRAM : MYERS, 0, a.length, 0, b.length);
    while (stackSize > 0) {
      stackSize -= 5;
      int kind = stack[stackSize];
      int as = stack[stackSize + 1];
      int ae = stack[stackSize + 2];
      int bs = stack[stackSize + 3];
      int be = stack[stackSize + 4];
      region(kind, as, ae, bs, be);
    }
  }

  private void push(int kind, int as, int ae, int bs, int be) {
    if (stackSize + 5 > stack.length) {
      stack = Arrays.copyOf(stack, stack.length * 2);
    }
    stack[stackSize++] = kind;
    stack[stackSize++] = as;
    stack[stackSize++] = ae;
    stack[stackSize++] = bs;
    stack[stackSize++] = be;
  }

  private void region(int kind, int as, int ae, int bs, int be) {
    // Common first and last lines cost one comparison each and never need the budget.
    while (as < ae && bs < be && a[as] == b[bs]) {
      as++;
      bs++;
    }
    while (as < ae && bs < be && a[ae - 1] == b[be - 1]) {
      ae--;
      be--;
    }
    if (as == ae || bs == be) {
      script.add(as, ae, bs, be);
      return;
    }
    if (budget <= 0) {
      giveUp(as, ae, bs, be);
      return;
    }
    if (kind == HISTOGRAM) {
      histogram(as, ae, bs, be);
    } else {
      myers(as, ae, bs, be);
    }
  }

  private void giveUp(int as, int ae, int bs, int be) {
    degradedRegions++;
    script.add(as, ae, bs, be);
  }

  // Histogram: find the common run anchored on the rarest lines of A, split around it, repeat.
  private void histogram(int as, int ae, int bs, int be) {
    for (int i = ae - 1; i >= as; i--) {
      int id = a[i];
      next[i] = count[id] == 0 ? -1 : head[id];
      head[id] = i;
      count[id]++;
    }
    budget -= (ae - as) + (be - bs);
    int bestAs = -1;
    int bestAe = -1;
    int bestBs = -1;
    int bestBe = -1;
    int bestCount = MAX_CHAIN + 1;
    boolean tooCommon = false;
    int bi = bs;
    while (bi < be) {
      int id = b[bi];
      int occurrences = count[id];
      if (occurrences == 0) {
        bi++;
        continue;
      }
      if (occurrences > MAX_CHAIN) {
        tooCommon = true;
        bi++;
        continue;
      }
      if (occurrences > bestCount) {
        bi++;
        continue;
      }
      int nextBi = bi + 1;
      for (int ai = head[id]; ai != -1; ai = next[ai]) {
        int sa = ai;
        int sb = bi;
        int ea = ai + 1;
        int eb = bi + 1;
        int rarest = occurrences;
        while (sa > as && sb > bs && a[sa - 1] == b[sb - 1]) {
          sa--;
          sb--;
          rarest = Math.min(rarest, count[a[sa]]);
        }
        while (ea < ae && eb < be && a[ea] == b[eb]) {
          rarest = Math.min(rarest, count[a[ea]]);
          ea++;
          eb++;
        }
        budget -= 1 + (ea - sa);
        if (ea - sa > bestAe - bestAs || rarest < bestCount) {
          bestAs = sa;
          bestAe = ea;
          bestBs = sb;
          bestBe = eb;
          bestCount = rarest;
        }
        nextBi = Math.max(nextBi, eb);
      }
      bi = nextBi;
    }
    for (int i = as; i < ae; i++) {
      count[a[i]] = 0;
    }
    if (bestAs < 0) {
      if (tooCommon) {
        push(MYERS, as, ae, bs, be);
      } else {
        script.add(as, ae, bs, be);
      }
      return;
    }
    push(HISTOGRAM, bestAe, ae, bestBe, be);
    push(HISTOGRAM, as, bestAs, bs, bestBs);
  }

  // Myers with the linear-space refinement: find the middle snake of an optimal path by searching
  // forward from the start and backward from the end until the two frontiers overlap, then solve
  // the two halves. The region's first and last lines differ (trimmed by region()).
  private void myers(int as, int ae, int bs, int be) {
    int n = ae - as;
    int m = be - bs;
    int delta = n - m;
    boolean odd = (delta & 1) != 0;
    long maxD = ((long) n + m + 1) / 2 + 1;
    int limit = (int) Math.min(maxD, (long) Math.sqrt((double) Math.max(0, budget)) + 2);
    int offset = limit + 1;
    // Past this many edits in one search, split at the furthest point instead (see below).
    int expensive = Math.max(256, (int) Math.sqrt((double) n + m));
    int width = 2 * limit + 3;
    if (forward.length < width) {
      forward = new int[width];
      backward = new int[width];
    }
    // forward[offset + k]: furthest x on diagonal k = x - y, searching from (0, 0).
    // backward[offset + k - delta]: smallest x on diagonal k, searching back from (n, m).
    forward[offset + 1] = 0;
    backward[offset + 1] = n + 1;
    for (int d = 0; d <= limit; d++) {
      budget -= 2L * d + 2;
      if (budget < 0) {
        break;
      }
      for (int k = -d; k <= d; k += 2) {
        int x;
        if (k == -d || (k != d && forward[offset + k - 1] < forward[offset + k + 1])) {
          x = forward[offset + k + 1];
        } else {
          x = forward[offset + k - 1] + 1;
        }
        int y = x - k;
        int x0 = x;
        while (x < n && y < m && a[as + x] == b[bs + y]) {
          x++;
          y++;
        }
        budget -= x - x0;
        forward[offset + k] = x;
        if (odd && k - delta >= -(d - 1) && k - delta <= d - 1) {
          if (x >= backward[offset + k - delta]) {
            split(as, ae, bs, be, x0, x0 - k, x, y);
            return;
          }
        }
      }
      for (int c = -d; c <= d; c += 2) {
        int k = c + delta;
        int x;
        // Backwards, a step left comes from diagonal k + 1, a step up from k - 1; keep the smaller x.
        if (c == -d || (c != d && backward[offset + c + 1] - 1 < backward[offset + c - 1])) {
          x = backward[offset + c + 1] - 1;
        } else {
          x = backward[offset + c - 1];
        }
        int y = x - k;
        int x0 = x;
        while (x > 0 && y > 0 && a[as + x - 1] == b[bs + y - 1]) {
          x--;
          y--;
        }
        budget -= x0 - x;
        backward[offset + c] = x;
        if (!odd && k >= -d && k <= d) {
          if (x <= forward[offset + k]) {
            split(as, ae, bs, be, x, y, x0, x0 - k);
            return;
          }
        }
      }
      if (d >= expensive) {
        splitAtFurthest(as, ae, bs, be, d, offset, delta);
        return;
      }
    }
    giveUp(as, ae, bs, be);
  }

  /**
   * The search got expensive: like GNU diff, split the region at the point the forward or the
   * backward search has carried furthest, and solve the halves apart. The script stays correct
   * but may be longer than the shortest; each search stays within {@code expensive²} steps.
   */
  private void splitAtFurthest(int as, int ae, int bs, int be, int d, int offset, int delta) {
    int n = ae - as;
    int m = be - bs;
    int forwardX = -1;
    int forwardY = -1;
    for (int k = -d; k <= d; k += 2) {
      int x = forward[offset + k];
      int y = x - k;
      if (x >= 0 && x <= n && y >= 0 && y <= m && (forwardX < 0 || x + y > forwardX + forwardY)) {
        forwardX = x;
        forwardY = y;
      }
    }
    int backwardX = -1;
    int backwardY = -1;
    for (int c = -d; c <= d; c += 2) {
      int x = backward[offset + c];
      int y = x - (c + delta);
      if (x >= 0 && x <= n && y >= 0 && y <= m && (backwardX < 0 || x + y < backwardX + backwardY)) {
        backwardX = x;
        backwardY = y;
      }
    }
    boolean useForward =
        backwardX < 0 || (forwardX >= 0 && forwardX + forwardY >= (n + m) - (backwardX + backwardY));
    int x = useForward ? forwardX : backwardX;
    int y = useForward ? forwardY : backwardY;
    if (x < 0 || x + y == 0 || x + y == n + m) {
      // No usable point (cannot happen after a round without overlap); stay correct regardless.
      giveUp(as, ae, bs, be);
      return;
    }
    split(as, ae, bs, be, x, y, x, y);
  }

  /** Solves both sides of the snake from (x, y) to (u, v), left first. */
  private void split(int as, int ae, int bs, int be, int x, int y, int u, int v) {
    push(MYERS, as + u, ae, bs + v, be);
    push(MYERS, as, as + x, bs, bs + y);
  }
}
