package io.slipway.build.cache;

import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The remembered digests of one context directory's files ({@link FileDigestCache.Entry}s), sorted
 * by path relative to the directory in {@link String#compareTo} order: the order a context walk
 * lists its files in, so a caller can pair a walk with these entries in one pass over both, rather
 * than look up tens of thousands of paths in a hash table (whose scattered nodes cost a cache miss
 * or more per file).
 *
 * <p>Immutable, so safe for concurrent use.
 */
public final class ContextDigests {

  private static final ContextDigests EMPTY =
      new ContextDigests(new String[0], new FileDigestCache.Entry[0]);

  private final String[] paths;
  private final FileDigestCache.Entry[] entries;

  private ContextDigests(String[] paths, FileDigestCache.Entry[] entries) {
    this.paths = paths;
    this.entries = entries;
  }

  /** No entries. */
  public static ContextDigests empty() {
    return EMPTY;
  }

  /**
   * The entries of {@code byPath} (relative path to entry). Paths must be unique, which map keys
   * are.
   */
  public static ContextDigests of(Map<String, FileDigestCache.Entry> byPath) {
    String[] paths = byPath.keySet().toArray(String[]::new);
    Arrays.sort(paths);
    FileDigestCache.Entry[] entries = new FileDigestCache.Entry[paths.length];
    for (int i = 0; i < paths.length; i++) {
      entries[i] = byPath.get(paths[i]);
    }
    return new ContextDigests(paths, entries);
  }

  /**
   * The entries of {@code paths} and {@code entries} (same length, index for index), sorted here
   * unless already sorted: rows read in the database's index order usually are, but its byte order
   * and {@link String#compareTo} disagree for some characters beyond the Basic Multilingual Plane.
   */
  static ContextDigests ofRows(List<String> paths, List<FileDigestCache.Entry> entries) {
    if (paths.size() != entries.size()) {
      throw new IllegalArgumentException(paths.size() + " paths for " + entries.size()
          + " entries");
    }
    String[] sortedPaths = paths.toArray(String[]::new);
    FileDigestCache.Entry[] sortedEntries = entries.toArray(FileDigestCache.Entry[]::new);
    if (!strictlyAscending(sortedPaths)) {
      Integer[] order = new Integer[sortedPaths.length];
      Arrays.setAll(order, i -> i);
      Arrays.sort(order, Comparator.comparing(i -> sortedPaths[i]));
      String[] p = new String[order.length];
      FileDigestCache.Entry[] e = new FileDigestCache.Entry[order.length];
      for (int i = 0; i < order.length; i++) {
        p[i] = sortedPaths[order[i]];
        e[i] = sortedEntries[order[i]];
      }
      return new ContextDigests(p, e);
    }
    return new ContextDigests(sortedPaths, sortedEntries);
  }

  private static boolean strictlyAscending(String[] paths) {
    for (int i = 1; i < paths.length; i++) {
      if (paths[i - 1].compareTo(paths[i]) >= 0) {
        return false;
      }
    }
    return true;
  }

  /** How many files are remembered. */
  public int size() {
    return paths.length;
  }

  /** True when no file is remembered. */
  public boolean isEmpty() {
    return paths.length == 0;
  }

  /** The relative path of the {@code index}th entry in path order. */
  public String path(int index) {
    return paths[index];
  }

  /** The {@code index}th entry in path order. */
  public FileDigestCache.Entry entry(int index) {
    return entries[index];
  }

  /** The entry of {@code path} (relative), if one is remembered. */
  public Optional<FileDigestCache.Entry> find(String path) {
    int index = Arrays.binarySearch(paths, path);
    return index >= 0 ? Optional.of(entries[index]) : Optional.empty();
  }

  /** The entries by relative path, as a new map. */
  public Map<String, FileDigestCache.Entry> toMap() {
    Map<String, FileDigestCache.Entry> map = new HashMap<>(paths.length * 2);
    for (int i = 0; i < paths.length; i++) {
      map.put(paths[i], entries[i]);
    }
    return map;
  }
}
