package io.slipway.build.solver;

import io.slipway.build.cache.BoundedMemo;
import io.slipway.build.context.ContextEntry;
import io.slipway.oci.Digest;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The checksums {@link ContextChecksum} computed for earlier builds of this process, each with
 * exactly what it was computed from: the selected entries (path, type, mode, size, times, inode,
 * link target) and the content digest of each file. A checksum is a function of those alone, so
 * when a later build selects equal entries with equal digests it is the same checksum, and the
 * lines and hashing of tens of thousands of entries are skipped. Nothing is trusted that was not
 * compared: the digests themselves come from the build's own rules.
 *
 * <p>Bounded: {@link #SHARED} keeps the inputs of at most 100,000 selected entries in all (about
 * 150 bytes each beyond what a build holds anyway), least recently used selections evicted first
 * ({@link BoundedMemo}).
 *
 * <p>Safe for concurrent use: what is kept is immutable, and entries are compared outside any
 * lock.
 */
final class SelectionChecksums {

  /** The memo every {@link ContextChecksum} of this process shares. */
  static final SelectionChecksums SHARED = new SelectionChecksums(100_000);

  /**
   * Which selection a checksum is of.
   *
   * @param contextDir the context directory, absolute
   * @param excludes the ignore patterns the context was walked with
   * @param includes the include patterns that selected from the walk
   */
  record Key(String contextDir, List<String> excludes, List<String> includes) {
    Key {
      Objects.requireNonNull(contextDir, "contextDir");
      excludes = List.copyOf(excludes);
      includes = List.copyOf(includes);
    }
  }

  /** A checksum and its inputs, as computed once; never changed afterwards. */
  private static final class Computed {
    private final List<ContextEntry> entries;
    private final Digest[] contents;
    private final Digest checksum;

    private Computed(List<ContextEntry> entries, Digest[] contents, Digest checksum) {
      this.entries = entries;
      this.contents = contents;
      this.checksum = checksum;
    }
  }

  private final BoundedMemo<Key, Computed> computed;

  /** An empty memo keeping the inputs of at most {@code maxEntries} entries in all. */
  SelectionChecksums(int maxEntries) {
    this.computed = new BoundedMemo<>(maxEntries, c -> c.entries.size());
  }

  /**
   * The checksum of {@code entries} with {@code contents} (the content digest of each file, null
   * for other entries), if it was computed from equal inputs before.
   */
  Optional<Digest> find(Key key, List<ContextEntry> entries, Digest[] contents) {
    Optional<Computed> before = computed.get(key);
    if (before.isEmpty() || !before.get().entries.equals(entries)
        || !Arrays.equals(before.get().contents, contents)) {
      return Optional.empty();
    }
    return Optional.of(before.get().checksum);
  }

  /** Keeps {@code checksum} as computed from {@code entries} and {@code contents}. */
  void remember(Key key, List<ContextEntry> entries, Digest[] contents, Digest checksum) {
    computed.put(key, new Computed(List.copyOf(entries), contents.clone(), checksum));
  }
}
