package io.slipway.diff.structured;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Arrays;

/**
 * A parsed document as parallel arrays in pre-order, one entry per value: its kind, the id of its
 * field name, the id of its text (scalars) or the end of its subtree (containers), and a 64-bit
 * hash of its subtree. About 17 bytes per value and no object per value, so a 10 MB document of
 * half a million values takes under 13 MB (with growth slack) where a Jackson tree takes five
 * times that. Read-only after {@link #read}; confined to the comparison that owns it.
 */
final class CompactDocument {
  static final byte OBJECT = 1;
  static final byte ARRAY = 2;
  static final byte STRING = 3;
  static final byte NUMBER = 4;
  static final byte TRUE = 5;
  static final byte FALSE = 6;
  static final byte NULL = 7;

  /** Heap per value, for the bound: kind 1, key 4, value 4, hash 8, and up to half again in slack. */
  static final long BYTES_PER_NODE = 26;

  private final ValuePool pool;
  private byte[] kinds = new byte[1024];
  private int[] keys = new int[1024];
  private int[] values = new int[1024];
  private long[] hashes = new long[1024];
  private int size;
  private int root;

  private CompactDocument(ValuePool pool) {
    this.pool = pool;
  }

  /** Thrown while reading when a document holds more values than allowed. */
  static final class TooManyNodesException extends Exception {
    private static final long serialVersionUID = 1L;

    TooManyNodesException(long limit) {
      super("more than " + limit + " values", null, false, false);
    }
  }

  /**
   * Reads every document in the parser's input. One document becomes the root; a stream of
   * several (YAML {@code ---}) becomes an array of them.
   */
  static CompactDocument read(JsonParser parser, ValuePool pool, long maxNodes)
      throws IOException, TooManyNodesException {
    CompactDocument document = new CompactDocument(pool);
    document.add(ARRAY, -1, 0, maxNodes);
    int[] open = new int[64];
    long[] accumulated = new long[64];
    int depth = 0;
    open[0] = 0;
    accumulated[0] = 0;
    int pendingKey = -1;
    int documents = 0;
    JsonToken token;
    while ((token = parser.nextToken()) != null) {
      switch (token) {
        case FIELD_NAME -> pendingKey = pool.intern(parser.currentName());
        case START_OBJECT, START_ARRAY -> {
          if (depth == 0) {
            documents++;
          }
          int index = document.add(token == JsonToken.START_OBJECT ? OBJECT : ARRAY, pendingKey, 0, maxNodes);
          pendingKey = -1;
          if (++depth == open.length) {
            open = Arrays.copyOf(open, depth * 2);
            accumulated = Arrays.copyOf(accumulated, depth * 2);
          }
          open[depth] = index;
          accumulated[depth] = 0;
        }
        case END_OBJECT, END_ARRAY -> {
          int index = open[depth];
          document.values[index] = document.size;
          document.hashes[index] = finish(document.kinds[index], accumulated[depth]);
          depth--;
          accumulated[depth] = combine(document.kinds[open[depth]], accumulated[depth], document.keys[index], document.hashes[index]);
        }
        default -> {
          if (depth == 0) {
            documents++;
          }
          byte kind = scalarKind(token);
          int text = kind == STRING || kind == NUMBER ? pool.intern(parser.getText()) : 0;
          int index = document.add(kind, pendingKey, text, maxNodes);
          pendingKey = -1;
          document.hashes[index] = scalarHash(kind, text);
          accumulated[depth] = combine(document.kinds[open[depth]], accumulated[depth], -1, document.hashes[index]);
        }
      }
    }
    document.values[0] = document.size;
    document.hashes[0] = finish(ARRAY, accumulated[0]);
    document.root = documents == 1 ? 1 : 0;
    return document;
  }

  private static byte scalarKind(JsonToken token) {
    return switch (token) {
      case VALUE_STRING, VALUE_EMBEDDED_OBJECT -> STRING;
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> NUMBER;
      case VALUE_TRUE -> TRUE;
      case VALUE_FALSE -> FALSE;
      default -> NULL;
    };
  }

  private int add(byte kind, int key, int value, long maxNodes) throws TooManyNodesException {
    if (size >= maxNodes) {
      throw new TooManyNodesException(maxNodes);
    }
    if (size == kinds.length) {
      int grown = size + (size >> 1);
      kinds = Arrays.copyOf(kinds, grown);
      keys = Arrays.copyOf(keys, grown);
      values = Arrays.copyOf(values, grown);
      hashes = Arrays.copyOf(hashes, grown);
    }
    kinds[size] = kind;
    keys[size] = key;
    values[size] = value;
    return size++;
  }

  private static long scalarHash(byte kind, int text) {
    return mix(((long) kind << 40) ^ text);
  }

  /** Object members combine by sum (order does not matter in JSON), array elements by position. */
  private static long combine(byte parentKind, long accumulated, int key, long childHash) {
    if (parentKind == OBJECT) {
      return accumulated + mix(childHash ^ ((long) key * 0x9E3779B97F4A7C15L));
    }
    return accumulated * 0x100000001B3L + childHash;
  }

  private static long finish(byte kind, long accumulated) {
    return mix(accumulated ^ ((long) kind << 56));
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return z ^ (z >>> 33);
  }

  int root() {
    return root;
  }

  int nodes() {
    return size;
  }

  byte kind(int node) {
    return kinds[node];
  }

  int key(int node) {
    return keys[node];
  }

  /** Pool id of a scalar's text. */
  int text(int node) {
    return values[node];
  }

  long hash(int node) {
    return hashes[node];
  }

  /** One past the last node of this node's subtree. */
  int end(int node) {
    return kinds[node] == OBJECT || kinds[node] == ARRAY ? values[node] : node + 1;
  }

  /** The direct children of a container, in order. */
  int[] children(int node) {
    int count = 0;
    for (int child = node + 1; child < end(node); child = end(child)) {
      count++;
    }
    int[] result = new int[count];
    int i = 0;
    for (int child = node + 1; child < end(node); child = end(child)) {
      result[i++] = child;
    }
    return result;
  }

  /** The child of an object with the given field name id, or -1. */
  int member(int object, int key) {
    for (int child = object + 1; child < end(object); child = end(child)) {
      if (keys[child] == key) {
        return child;
      }
    }
    return -1;
  }

  /** Whether two subtrees (of this or another document on the same pool) are equal. */
  boolean sameAs(int node, CompactDocument other, int otherNode) {
    if (kinds[node] != other.kinds[otherNode]) {
      return false;
    }
    if (kinds[node] == STRING || kinds[node] == NUMBER) {
      return values[node] == other.values[otherNode];
    }
    // Containers: equal 64-bit subtree hashes. A false match needs a collision of a 64-bit
    // mixing hash, which we accept as the price of not holding trees.
    return hashes[node] == other.hashes[otherNode];
  }

  /** Writes a subtree as JSON. */
  void write(int node, JsonGenerator out) throws IOException {
    switch (kinds[node]) {
      case OBJECT -> {
        out.writeStartObject();
        for (int child = node + 1; child < end(node); child = end(child)) {
          out.writeFieldName(pool.text(keys[child]));
          write(child, out);
        }
        out.writeEndObject();
      }
      case ARRAY -> {
        out.writeStartArray();
        for (int child = node + 1; child < end(node); child = end(child)) {
          write(child, out);
        }
        out.writeEndArray();
      }
      case STRING -> out.writeString(pool.text(values[node]));
      case NUMBER -> writeNumber(pool.text(values[node]), out);
      case TRUE -> out.writeBoolean(true);
      case FALSE -> out.writeBoolean(false);
      default -> out.writeNull();
    }
  }

  private static void writeNumber(String text, JsonGenerator out) throws IOException {
    try {
      new BigDecimal(text);
      out.writeNumber(text);
    } catch (NumberFormatException e) {
      // YAML spells some numbers in ways JSON does not (0x1F, .inf); keep them readable as text.
      out.writeString(text);
    }
  }
}
