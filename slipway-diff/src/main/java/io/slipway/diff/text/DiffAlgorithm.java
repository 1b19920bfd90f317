package io.slipway.diff.text;

/**
 * The line-matching algorithm a {@link TextDiffer} uses. Both produce a correct edit script; they
 * differ in which of several equally short scripts they pick and in how fast they get there.
 * Immutable, like every enum.
 */
public enum DiffAlgorithm {
  /**
   * Myers' O(ND) algorithm with the linear-space middle-snake refinement: the shortest edit
   * script, at a cost that grows with the product of input length and edit distance.
   */
  MYERS,
  /**
   * Histogram diff: anchors on the rarest common lines first (as patience diff does, but tolerating
   * repeated lines), which reads better on code and configuration and is near linear on inputs that
   * share most of their lines. Regions with no rare anchor fall back to {@link #MYERS}.
   */
  HISTOGRAM
}
