package io.slipway.diff.structured;

import io.slipway.diff.text.SequenceMatcher;
import io.slipway.diff.text.TextDiffOptions;
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

  /** Element alignment uses the line diff's defaults; arrays are far shorter than its budget. */
  private static final TextDiffOptions ALIGNMENT = TextDiffOptions.DEFAULTS;

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
    alignByContent(elementsA, elementsB, pointer, path);
  }

  /**
   * Aligns elements by content (equal subtrees are kept, as equal lines are in a text diff), then
   * compares the elements of each changed run position by position. Array indices in pointers are
   * the ones in effect while a JSON Patch applies: everything before the run already equals B.
   */
  private void alignByContent(int[] elementsA, int[] elementsB, String pointer, String path) {
    // Subtree hashes: exact for scalars (a bijective mix of kind and text id), 64-bit for
    // containers, the same assumption sameAs makes.
    Map<Long, Integer> ids = new HashMap<>();
    int[] idsA = new int[elementsA.length];
    int[] idsB = new int[elementsB.length];
    for (int p = 0; p < elementsA.length; p++) {
      idsA[p] = ids.computeIfAbsent(a.hash(elementsA[p]), key -> ids.size());
    }
    for (int q = 0; q < elementsB.length; q++) {
      idsB[q] = ids.computeIfAbsent(b.hash(elementsB[q]), key -> ids.size());
    }
    int[] changes = SequenceMatcher.changes(idsA, idsB, ids.size(), ALIGNMENT);
    for (int c = 0; c < changes.length; c += 4) {
      int a0 = changes[c];
      int a1 = changes[c + 1];
      int b0 = changes[c + 2];
      int b1 = changes[c + 3];
      int paired = Math.min(a1 - a0, b1 - b0);
      for (int i = 0; i < paired; i++) {
        diff(elementsA[a0 + i], elementsB[b0 + i], pointer + "/" + (b0 + i), path + "/" + (b0 + i));
      }
      // Surplus old elements sit at b0 + paired until removed; each removal shifts the next in.
      for (int p = a0 + paired; p < a1; p++) {
        emit(Change.Operation.REMOVE, pointer + "/" + (b0 + paired), path + "/" + (b0 + paired), elementsA[p], -1);
      }
      for (int q = b0 + paired; q < b1; q++) {
        emit(Change.Operation.ADD, pointer + "/" + q, path + "/" + q, -1, elementsB[q]);
      }
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
