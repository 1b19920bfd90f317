package io.slipway.diff.structured;

import io.slipway.diff.text.TextDiff;

/**
 * The outcome of {@link StructuredDiffer#compare}: a structured diff, or, when the documents are
 * too large for the memory bound, a text diff and the reason. Immutable.
 */
public sealed interface StructuredComparison {

  /** Whether the documents are equal (as trees, or as text after a fallback). */
  boolean identical();

  /** The documents were compared as trees. */
  record Structured(StructuredDiff diff) implements StructuredComparison {
    @Override
    public boolean identical() {
      return diff.changes().isEmpty();
    }
  }

  /** The documents were too large to compare as trees within the bound and were diffed as text. */
  record TextFallback(TextDiff diff, String note) implements StructuredComparison {
    @Override
    public boolean identical() {
      return diff.identical();
    }
  }
}
