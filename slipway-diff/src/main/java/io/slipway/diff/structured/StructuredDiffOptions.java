package io.slipway.diff.structured;

import java.util.List;

/**
 * How a {@link StructuredDiffer} compares documents. Immutable.
 *
 * @param arrayKeys field names that identify array elements, tried in order: an array whose
 *     elements (in both documents) are all objects with a unique scalar value for one of these is
 *     matched by that value; otherwise equal elements are aligned as a text diff aligns equal lines
 *     and the rest are compared by position within each changed run. Empty: never by key.
 * @param maxNodes the most values (objects, arrays, scalars) both documents may hold together;
 *     past it, and past the heap formula, the comparison falls back to a text diff
 */
public record StructuredDiffOptions(List<String> arrayKeys, long maxNodes) {

  /** Match arrays by {@code name}, then {@code id}, then {@code key}; up to 16 million values. */
  public static final StructuredDiffOptions DEFAULTS =
      new StructuredDiffOptions(List.of("name", "id", "key"), 16_000_000);

  public StructuredDiffOptions {
    arrayKeys = List.copyOf(arrayKeys);
    if (maxNodes < 1) {
      throw new IllegalArgumentException("maxNodes must be positive, was " + maxNodes);
    }
  }

  /** These options with other array keys. */
  public StructuredDiffOptions withArrayKeys(List<String> keys) {
    return new StructuredDiffOptions(keys, maxNodes);
  }

  /** These options with another value limit. */
  public StructuredDiffOptions withMaxNodes(long value) {
    return new StructuredDiffOptions(arrayKeys, value);
  }
}
