package io.slipway.diff.text;

/**
 * Matches two sequences of ints (ids of equal elements, not necessarily lines) with the same
 * histogram-then-Myers machinery and cost bound as the line diff. The structured diff uses it to
 * align array elements. Stateless; safe for concurrent use.
 */
public final class SequenceMatcher {
  private SequenceMatcher() {}

  /**
   * The changes that turn {@code a} into {@code b}, four ints per change: {@code a0, a1, b0, b1}
   * meaning {@code a[a0, a1)} is replaced by {@code b[b0, b1)}, in order. Ids must lie in
   * {@code [0, distinct)}.
   */
  public static int[] changes(int[] a, int[] b, int distinct, TextDiffOptions options) {
    EditScript script = new EditScript();
    LineMatcher matcher = new LineMatcher(a, b, options.costLimit(a.length, b.length), script);
    matcher.run(options.algorithm(), distinct);
    int[] packed = new int[script.count() * 4];
    for (int i = 0; i < script.count(); i++) {
      packed[i * 4] = script.a0(i);
      packed[i * 4 + 1] = script.a1(i);
      packed[i * 4 + 2] = script.b0(i);
      packed[i * 4 + 3] = script.b1(i);
    }
    return packed;
  }
}
