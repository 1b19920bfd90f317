package io.slipway.build.cache;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToIntFunction;

/**
 * Immutable values kept in the JVM by key, up to a total weight (for the builder's memos: the
 * number of files a value describes, which is what their memory grows with). Putting a value
 * evicts the least recently used ones until the total fits; a value heavier than the whole bound
 * is not kept.
 *
 * <p>Safe for concurrent use: the index is guarded by this object's monitor, held only for map
 * operations. Values must be immutable, since they are handed to several threads.
 *
 * @param <K> the key
 * @param <V> the value, immutable
 */
public final class BoundedMemo<K, V> {

  private final int maxWeight;
  private final ToIntFunction<V> weigher;
  /** Access order, so the first key is the least recently used. */
  private final LinkedHashMap<K, V> values = new LinkedHashMap<>(16, 0.75f, true);
  private long weight;

  /** An empty memo of values weighing at most {@code maxWeight} in all. */
  public BoundedMemo(int maxWeight, ToIntFunction<V> weigher) {
    if (maxWeight < 0) {
      throw new IllegalArgumentException("maxWeight must not be negative: " + maxWeight);
    }
    this.maxWeight = maxWeight;
    this.weigher = weigher;
  }

  /** The value of {@code key}, if one is kept; it becomes the most recently used. */
  public synchronized Optional<V> get(K key) {
    return Optional.ofNullable(values.get(key));
  }

  /** Keeps {@code value} for {@code key}, replacing what was kept, within the bound. */
  public synchronized void put(K key, V value) {
    store(key, value);
  }

  /** Keeps {@code value} for {@code key} unless a value is kept for it already. */
  public synchronized void putIfAbsent(K key, V value) {
    if (!values.containsKey(key)) {
      store(key, value);
    }
  }

  /**
   * Replaces the value of {@code key} by {@code next} only if it is still {@code expected} (the
   * same object); true when it was replaced or no value is kept any more (nothing to replace).
   */
  public synchronized boolean replace(K key, V expected, V next) {
    V now = values.get(key);
    if (now == null) {
      return true;
    }
    if (now != expected) {
      return false;
    }
    store(key, next);
    return true;
  }

  /** The total weight of the values kept. */
  public synchronized long weight() {
    return weight;
  }

  private void store(K key, V value) {
    V replaced = values.remove(key);
    if (replaced != null) {
      weight -= weigher.applyAsInt(replaced);
    }
    int added = weigher.applyAsInt(value);
    if (added > maxWeight) {
      return;
    }
    Iterator<Map.Entry<K, V>> eldest = values.entrySet().iterator();
    while (weight + added > maxWeight && eldest.hasNext()) {
      weight -= weigher.applyAsInt(eldest.next().getValue());
      eldest.remove();
    }
    values.put(key, value);
    weight += added;
  }
}
