package io.slipway.build.cache;

import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@link FileDigestCache} rows of recently built contexts, kept in the JVM so that a later
 * build in the same process (a long-lived build server runs many) does not read and parse tens of
 * thousands of rows again. One immutable {@link ContextDigests} snapshot per {@link Key}.
 *
 * <p>A snapshot holds only what a row holds: each entry was read from a row, or recorded in a row
 * by this process in the same {@link FileDigestCache#update} that put it here, so it names the
 * digest of a file that had exactly that size, modification time, change time and inode. The
 * caller trusts it only when {@code lstat} still gives all four, as it does a row; that is why a
 * snapshot stays correct when files change, and when another process adds, replaces or deletes rows
 * in between: an entry the other process dropped was dropped because its file changed or left the
 * context, and such a file no longer matches the entry's stat either. What another process learned
 * is missing here, so this process hashes those files once more and records the same digests.
 *
 * <p>Bounded: {@link #SHARED} keeps at most 100,000 entries over all contexts (about 300 bytes
 * each: path, entry and digest, so some 30 MB of heap). A context with more files than that is not
 * kept; adding one evicts the least recently used contexts until the total fits
 * ({@link BoundedMemo}).
 *
 * <p>Safe for concurrent use: snapshots are immutable, and no lock is held while the database is
 * read or a snapshot copied.
 */
final class ContextDigestMemo {

  /** The memo every {@link FileDigestCache} of this process shares. */
  static final ContextDigestMemo SHARED = new ContextDigestMemo(100_000);

  /**
   * Which rows a snapshot stands for.
   *
   * @param database the build database file, absolute and normalized
   * @param directory the context directory, absolute, ending in {@code /}
   */
  record Key(Path database, String directory) {
    Key {
      Objects.requireNonNull(database, "database");
      if (!directory.endsWith("/")) {
        throw new IllegalArgumentException("a context directory key ends in /: " + directory);
      }
    }
  }

  private final BoundedMemo<Key, ContextDigests> contexts;

  /** An empty memo holding at most {@code maxFiles} entries in all. */
  ContextDigestMemo(int maxFiles) {
    this.contexts = new BoundedMemo<>(maxFiles, ContextDigests::size);
  }

  /** The snapshot of {@code key}, if one is kept. */
  Optional<ContextDigests> get(Key key) {
    return contexts.get(key);
  }

  /**
   * Keeps {@code entries} (as read from the rows) for {@code key} unless a snapshot is kept
   * already: one kept since the caller read its rows may hold what a concurrent build recorded
   * after that read.
   */
  void putIfAbsent(Key key, ContextDigests entries) {
    contexts.putIfAbsent(key, entries);
  }

  /**
   * Applies what {@link FileDigestCache#update} just committed for {@code key}: {@code remember}
   * replaces entries of the same relative path, {@code forget} (relative paths) drops entries. A
   * context without a snapshot stays without one (the next build reads its rows).
   */
  void apply(Key key, Map<String, FileDigestCache.Entry> remember, Collection<String> forget) {
    while (true) {
      Optional<ContextDigests> current = contexts.get(key);
      if (current.isEmpty()) {
        return;
      }
      // Copied outside the memo's monitor; published only if no other build replaced the
      // snapshot meanwhile, else done again over that one, so neither build's changes are lost.
      Map<String, FileDigestCache.Entry> changed = current.get().toMap();
      changed.keySet().removeAll(forget);
      changed.putAll(remember);
      if (contexts.replace(key, current.get(), ContextDigests.of(changed))) {
        return;
      }
    }
  }

  /** Entries kept over all contexts; for tests of the bound. */
  int size() {
    return (int) contexts.weight();
  }
}
