package io.slipway.diff.text;

/**
 * How a {@link TextDiffer} compares two texts. Immutable.
 *
 * @param algorithm the line-matching algorithm
 * @param contextLines lines of unchanged context around each hunk ({@code -U N}); 3 by default
 * @param costFactor work allowed per line of the differing middles; the step limit is
 *     {@code costFactor × (lines of A + lines of B) + baseCost}. Past it the diff degrades to
 *     coarser hunks, still an exact patch, and says so.
 * @param baseCost steps every diff may take regardless of size, so small inputs always get the
 *     finest answer
 * @param mapThresholdBytes inputs at least this large are memory-mapped rather than read onto the
 *     heap, so they take page cache instead of heap
 */
public record TextDiffOptions(
    DiffAlgorithm algorithm,
    int contextLines,
    long costFactor,
    long baseCost,
    long mapThresholdBytes) {

  /**
   * Histogram, 3 lines of context, 32 steps per line plus 2^24, map inputs of 256 KiB and up.
   * Histogram on texts that share most lines takes about {@code log2(changes)} steps per line
   * (18 per line on a 10 MB document with 1% of lines changed); a step of Myers on a large region
   * is a cache miss, so 32 per line keeps unrelated 100 MB inputs to seconds.
   */
  public static final TextDiffOptions DEFAULTS =
      new TextDiffOptions(DiffAlgorithm.HISTOGRAM, 3, 32, 1L << 24, 256 * 1024);

  public TextDiffOptions {
    if (algorithm == null) {
      throw new IllegalArgumentException("algorithm must not be null");
    }
    if (contextLines < 0) {
      throw new IllegalArgumentException("contextLines must be >= 0, was " + contextLines);
    }
    if (costFactor < 0 || baseCost < 0) {
      throw new IllegalArgumentException(
          "costFactor and baseCost must be >= 0, were " + costFactor + " and " + baseCost);
    }
    if (mapThresholdBytes < 0) {
      throw new IllegalArgumentException("mapThresholdBytes must be >= 0, was " + mapThresholdBytes);
    }
  }

  /** These options with another algorithm. */
  public TextDiffOptions withAlgorithm(DiffAlgorithm value) {
    return new TextDiffOptions(value, contextLines, costFactor, baseCost, mapThresholdBytes);
  }

  /** These options with another number of context lines. */
  public TextDiffOptions withContextLines(int value) {
    return new TextDiffOptions(algorithm, value, costFactor, baseCost, mapThresholdBytes);
  }

  /** These options with another cost bound. */
  public TextDiffOptions withCost(long factor, long base) {
    return new TextDiffOptions(algorithm, contextLines, factor, base, mapThresholdBytes);
  }

  /** These options with another mapping threshold. */
  public TextDiffOptions withMapThresholdBytes(long value) {
    return new TextDiffOptions(algorithm, contextLines, costFactor, baseCost, value);
  }

  /** The step limit for differing middles of the given numbers of lines. */
  long costLimit(int linesA, int linesB) {
    long lines = (long) linesA + linesB;
    if (costFactor != 0 && lines > (Long.MAX_VALUE - baseCost) / costFactor) {
      return Long.MAX_VALUE;
    }
    return baseCost + costFactor * lines;
  }
}
