package io.slipway.store.layer;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Extended attributes of a layer entry: names such as {@code security.capability} mapped to raw
 * byte values. Values are bytes, not text, because real layers carry binary attributes (file
 * capabilities) that a text round trip would corrupt. Immutable; iteration is in name order so that
 * writers stay deterministic.
 */
public final class Xattrs {

  private static final Xattrs EMPTY = new Xattrs(new TreeMap<>());

  private final SortedMap<String, byte[]> values;

  private Xattrs(SortedMap<String, byte[]> values) {
    this.values = values;
  }

  /** No attributes. */
  public static Xattrs none() {
    return EMPTY;
  }

  /** Copies {@code values}; neither the map nor the arrays are kept. */
  public static Xattrs of(Map<String, byte[]> values) {
    if (values.isEmpty()) {
      return EMPTY;
    }
    TreeMap<String, byte[]> copy = new TreeMap<>();
    values.forEach(
        (name, value) -> {
          Objects.requireNonNull(value, name);
          if (name.isEmpty() || name.indexOf('\0') >= 0 || name.indexOf('=') >= 0) {
            throw new IllegalArgumentException("invalid extended attribute name \"" + name + "\"");
          }
          copy.put(name, value.clone());
        });
    return new Xattrs(copy);
  }

  /** This set plus (or replacing) one attribute. */
  public Xattrs with(String name, byte[] value) {
    TreeMap<String, byte[]> copy = new TreeMap<>(values);
    copy.put(name, value);
    return of(copy);
  }

  public boolean isEmpty() {
    return values.isEmpty();
  }

  /** Attribute names in order. */
  public Set<String> names() {
    return Collections.unmodifiableSet(values.keySet());
  }

  /** A copy of one attribute's value, or null when absent. */
  public byte[] get(String name) {
    byte[] value = values.get(name);
    return value == null ? null : value.clone();
  }

  @Override
  public boolean equals(Object other) {
    if (!(other instanceof Xattrs that) || that.values.size() != values.size()) {
      return false;
    }
    for (Map.Entry<String, byte[]> e : values.entrySet()) {
      if (!Arrays.equals(e.getValue(), that.values.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int hash = 0;
    for (Map.Entry<String, byte[]> e : values.entrySet()) {
      hash += e.getKey().hashCode() ^ Arrays.hashCode(e.getValue());
    }
    return hash;
  }

  @Override
  public String toString() {
    return "Xattrs" + values.keySet();
  }
}
