package io.slipway.diff.structured;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Walks two compact documents from their roots and lists their differences, skipping equal
 * subtrees by hash. Objects are matched by field name; arrays by a configured key or by position.
 * Confined to one comparison.
 */
final class TreeMatcher {
  private final CompactDocument a;
  private final CompactDocument b;
  private final ValuePool pool;
  private final List<String> arrayKeys;
  private final List<StructuredDiff.Entry> entries = new ArrayList<>();

  TreeMatcher(CompactDocument a, CompactDocument b, ValuePool pool, List<String> arrayKeys) {
    this.a = a;
    this.b = b;
    this.pool = pool;
    this.arrayKeys = arrayKeys;
  }

  List<StructuredDiff.Entry> run() {
    diff(a.root(), b.root(), "", "");
    return entries;
  }

  private void diff(int i, int j, String pointer, String path) {
    if (a.sameAs(i, b, j)) {
      return;
    }
    byte kind = a.kind(i);
    if (kind != b.kind(j) || (kind != CompactDocument.OBJECT && kind != CompactDocument.ARRAY)) {
      emit(Change.Operation.REPLACE, pointer, path, i, j);
    } else if (kind == CompactDocument.OBJECT) {
      diffObjects(i, j, pointer, path);
    } else {
      diffArrays(i, j, pointer, path);
    }
  }

  private void diffObjects(int i, int j, String pointer, String path) {
    int[] membersA = a.children(i);
    int[] membersB = b.children(j);
    long[] indexB = new long[membersB.length];
    for (int q = 0; q < membersB.length; q++) {
      indexB[q] = ((long) b.key(membersB[q]) << 32) | q;
    }
    Arrays.sort(indexB);
    boolean[] matched = new boolean[membersB.length];
    for (int x : membersA) {
      int key = a.key(x);
      String name = pool.text(key);
      int found = find(indexB, key);
      if (found < 0) {
        emit(Change.Operation.REMOVE, pointer + "/" + escape(name), path + "/" + name, x, -1);
      } else {
        matched[found] = true;
        diff(x, membersB[found], pointer + "/" + escape(name), path + "/" + name);
      }
    }
    for (int q = 0; q < membersB.length; q++) {
      if (!matched[q]) {
        String name = pool.text(b.key(membersB[q]));
        emit(Change.Operation.ADD, pointer + "/" + escape(name), path + "/" + name, -1, membersB[q]);
      }
    }
  }

  private static int find(long[] index, int key) {
    int low = 0;
    int high = index.length - 1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      int midKey = (int) (index[mid] >>> 32);
      if (midKey < key) {
        low = mid + 1;
      } else if (midKey > key) {
        high = mid - 1;
      } else {
        return (int) index[mid];
      }
    }
    return -1;
  }

  private void diffArrays(int i, int j, String pointer, String path) {
    int[] elementsA = a.children(i);
    int[] elementsB = b.children(j);
    for (String keyName : arrayKeys) {
      if (diffArraysByKey(elementsA, elementsB, keyName, pointer, path)) {
        return;
      }
    }
    int common = Math.min(elementsA.length, elementsB.length);
    for (int p = 0; p < common; p++) {
      diff(elementsA[p], elementsB[p], pointer + "/" + p, path + "/" + p);
    }
    for (int p = elementsA.length - 1; p >= elementsB.length; p--) {
      emit(Change.Operation.REMOVE, pointer + "/" + p, path + "/" + p, elementsA[p], -1);
    }
    for (int p = elementsA.length; p < elementsB.length; p++) {
      emit(Change.Operation.ADD, pointer + "/" + p, path + "/" + p, -1, elementsB[p]);
    }
  }

  /**
   * Matches elements by the value of field {@code keyName} when every element of both arrays has
   * a unique scalar one and the shared elements keep their order; returns false to fall back.
   */
  private boolean diffArraysByKey(
      int[] elementsA, int[] elementsB, String keyName, String pointer, String path) {
    int key = pool.find(keyName);
    if (key < 0 || elementsA.length + elementsB.length == 0) {
      return false;
    }
    long[] keysA = elementKeys(a, elementsA, key);
    long[] keysB = elementKeys(b, elementsB, key);
    if (keysA == null || keysB == null) {
      return false;
    }
    Map<Long, Integer> positionA = new HashMap<>();
    for (int p = 0; p < keysA.length; p++) {
      if (positionA.put(keysA[p], p) != null) {
        return false;
      }
    }
    Map<Long, Integer> positionB = new HashMap<>();
    int last = -1;
    for (int q = 0; q < keysB.length; q++) {
      if (positionB.put(keysB[q], q) != null) {
        return false;
      }
      Integer p = positionA.get(keysB[q]);
      if (p != null) {
        if (p < last) {
          return false;
        }
        last = p;
      }
    }
    // Removals first, from the end, so the indices of the ones before stay valid.
    for (int p = elementsA.length - 1; p >= 0; p--) {
      if (!positionB.containsKey(keysA[p])) {
        emit(Change.Operation.REMOVE, pointer + "/" + p, path + label(keyName, keysA[p]), elementsA[p], -1);
      }
    }
    // Then B in order: position q already holds B's first q elements.
    for (int q = 0; q < elementsB.length; q++) {
      Integer p = positionA.get(keysB[q]);
      String elementPath = path + label(keyName, keysB[q]);
      if (p == null) {
        emit(Change.Operation.ADD, pointer + "/" + q, elementPath, -1, elementsB[q]);
      } else {
        diff(elementsA[p], elementsB[q], pointer + "/" + q, elementPath);
      }
    }
    return true;
  }

  private String label(String keyName, long keyValue) {
    return "[" + keyName + "=" + pool.text((int) keyValue) + "]";
  }

  /** Each element's key value as kind and text id, or null when one element has none. */
  private static long[] elementKeys(CompactDocument document, int[] elements, int key) {
    long[] result = new long[elements.length];
    for (int p = 0; p < elements.length; p++) {
      if (document.kind(elements[p]) != CompactDocument.OBJECT) {
        return null;
      }
      int member = document.member(elements[p], key);
      if (member < 0) {
        return null;
      }
      byte kind = document.kind(member);
      if (kind != CompactDocument.STRING && kind != CompactDocument.NUMBER) {
        return null;
      }
      result[p] = ((long) kind << 32) | document.text(member);
    }
    return result;
  }

  private void emit(Change.Operation operation, String pointer, String path, int oldNode, int newNode) {
    entries.add(new StructuredDiff.Entry(new Change(operation, pointer, path), oldNode, newNode));
  }

  /** RFC 6901: "~" becomes "~0" and "/" becomes "~1", in that order. */
  static String escape(String name) {
    if (name.indexOf('~') < 0 && name.indexOf('/') < 0) {
      return name;
    }
    return name.replace("~", "~0").replace("/", "~1");
  }
}
