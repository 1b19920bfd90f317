package io.slipway.diff.structured;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Interns field names and scalar texts of both documents to ints, so equal values are equal ids
 * and each distinct text is held once. Confined to the comparison that owns it.
 */
final class ValuePool {
  private final List<String> texts = new ArrayList<>();
  private int[] slots = new int[1024];
  private int[] hashes = new int[512];

  int intern(String text) {
    int h = mix(text.hashCode());
    int mask = slots.length - 1;
    int slot = h & mask;
    while (true) {
      int entry = slots[slot];
      if (entry == 0) {
        int id = texts.size();
        texts.add(text);
        if (id == hashes.length) {
          hashes = Arrays.copyOf(hashes, id * 2);
        }
        hashes[id] = h;
        slots[slot] = id + 1;
        if (texts.size() * 3 > slots.length * 2) {
          rehash();
        }
        return id;
      }
      if (hashes[entry - 1] == h && texts.get(entry - 1).equals(text)) {
        return entry - 1;
      }
      slot = (slot + 1) & mask;
    }
  }

  /** The id of {@code text}, or -1 when neither document holds it. */
  int find(String text) {
    int h = mix(text.hashCode());
    int mask = slots.length - 1;
    for (int slot = h & mask; slots[slot] != 0; slot = (slot + 1) & mask) {
      int id = slots[slot] - 1;
      if (hashes[id] == h && texts.get(id).equals(text)) {
        return id;
      }
    }
    return -1;
  }

  String text(int id) {
    return texts.get(id);
  }

  int size() {
    return texts.size();
  }

  private void rehash() {
    int[] bigger = new int[slots.length * 2];
    int mask = bigger.length - 1;
    for (int id = 0; id < texts.size(); id++) {
      int slot = hashes[id] & mask;
      while (bigger[slot] != 0) {
        slot = (slot + 1) & mask;
      }
      bigger[slot] = id + 1;
    }
    slots = bigger;
  }

  private static int mix(int h) {
    h *= 0x9E3779B9;
    return h ^ (h >>> 16);
  }
}
