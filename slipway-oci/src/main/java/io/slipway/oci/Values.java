package io.slipway.oci;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** Defensive copies for the collections inside the content model's records. Stateless. */
final class Values {
  private Values() {}

  /** An unmodifiable copy sorted by key, so equal maps serialize identically; null is empty. */
  static SortedMap<String, String> sortedCopy(Map<String, String> map, String field) {
    if (map == null || map.isEmpty()) {
      return Collections.emptySortedMap();
    }
    TreeMap<String, String> copy = new TreeMap<>();
    for (Map.Entry<String, String> entry : map.entrySet()) {
      if (entry.getKey() == null || entry.getValue() == null) {
        throw new IllegalArgumentException(field + " must map strings to strings, found null");
      }
      copy.put(entry.getKey(), entry.getValue());
    }
    return Collections.unmodifiableSortedMap(copy);
  }

  /** An unmodifiable copy in the same order; null is empty; null elements are rejected. */
  static <T> List<T> listCopy(List<T> list, String field) {
    if (list == null || list.isEmpty()) {
      return List.of();
    }
    for (T element : list) {
      if (element == null) {
        throw new IllegalArgumentException(field + " must not contain null");
      }
    }
    return List.copyOf(list);
  }

  /** {@code null} for an empty string, so absent and empty read the same. */
  static String emptyToNull(String value) {
    return value == null || value.isEmpty() ? null : value;
  }
}
