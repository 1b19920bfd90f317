package io.slipway.diff.text;

import java.util.Arrays;

/**
 * The changes between two line sequences, in order: each replaces lines {@code [a0, a1)} of A by
 * lines {@code [b0, b1)} of B. Packed four ints per change in one growable array, so a diff with a
 * million changes holds one array rather than a million objects. Confined to one thread while it
 * is built, then read-only.
 */
final class EditScript {
  private int[] data = new int[64];
  private int size;

  /** Appends a change, merging it into the previous one when they touch. */
  void add(int a0, int a1, int b0, int b1) {
    if (a0 == a1 && b0 == b1) {
      return;
    }
    if (size > 0 && data[size - 3] == a0 && data[size - 1] == b0) {
      data[size - 3] = a1;
      data[size - 1] = b1;
      return;
    }
    if (size + 4 > data.length) {
      data = Arrays.copyOf(data, data.length * 2);
    }
    data[size++] = a0;
    data[size++] = a1;
    data[size++] = b0;
    data[size++] = b1;
  }

  int count() {
    return size / 4;
  }

  int a0(int change) {
    return data[change * 4];
  }

  int a1(int change) {
    return data[change * 4 + 1];
  }

  int b0(int change) {
    return data[change * 4 + 2];
  }

  int b1(int change) {
    return data[change * 4 + 3];
  }
}
