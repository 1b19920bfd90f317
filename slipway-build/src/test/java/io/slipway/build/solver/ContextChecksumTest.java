package io.slipway.build.solver;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.build.cache.BuildCache;
import io.slipway.build.cache.FileDigestCache;
import io.slipway.build.context.ContextEntry;
import io.slipway.build.graph.Operation;
import io.slipway.oci.Digest;
import io.slipway.store.sql.SqliteDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContextChecksumTest {

  @TempDir Path dir;
  Path context;
  SqliteDatabase database;
  FileDigestCache store;

  @BeforeEach
  void open() throws Exception {
    context = Files.createDirectories(dir.resolve("context"));
    database = SqliteDatabase.open(dir.resolve("meta.db"), List.of(BuildCache.MIGRATIONS));
    store = new FileDigestCache(database);
  }

  @AfterEach
  void close() throws Exception {
    database.close();
  }

  private static Operation.Local local(String... includes) {
    return new Operation.Local("context", List.of(includes), List.of());
  }

  private void write(String path, String content) throws Exception {
    Path file = context.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content, StandardCharsets.UTF_8);
  }

  /** One build's checksum of {@code local}, remembering files left alone for {@code settle} ns. */
  private Digest checksum(Operation.Local local, long settle) throws Exception {
    try (ContextChecksum checksums = ContextChecksum.open(context, Optional.of(store), settle)) {
      return checksums.of(local);
    }
  }

  @Test
  void changesOnlyForSourcesSelectingChangedFile() throws Exception {
    write("a/one.txt", "1");
    write("b/two.txt", "2");
    Digest a = checksum(local("a"), ContextChecksum.SETTLED_NANOS);
    Digest b = checksum(local("b"), ContextChecksum.SETTLED_NANOS);

    write("a/one.txt", "changed");

    assertThat(checksum(local("a"), ContextChecksum.SETTLED_NANOS)).isNotEqualTo(a);
    assertThat(checksum(local("b"), ContextChecksum.SETTLED_NANOS)).isEqualTo(b);
  }

  @Test
  void givesSameChecksumWhetherDigestsAreRememberedOrRead() throws Exception {
    for (int i = 0; i < 50; i++) {
      write("d" + (i % 5) + "/f" + i, "content " + i);
    }
    Thread.sleep(20);
    Digest read = checksum(local(), 0);
    assertThat(store.under(context.toRealPath().toString()).size()).isEqualTo(50);

    assertThat(checksum(local(), 0)).isEqualTo(read);
  }

  @Test
  void reusesRememberedDigestWhileStatIsUnchanged() throws Exception {
    write("f.txt", "original");
    Thread.sleep(20);
    Digest honest = checksum(local(), 0);
    String host = context.toRealPath().resolve("f.txt").toString();
    FileDigestCache.Entry remembered = store.under(context.toRealPath().toString())
        .find("f.txt").orElseThrow();
    // Plant a different digest under the same stat: only a reused digest can change the result.
    store.update(context.toRealPath().toString(), List.of(new FileDigestCache.Entry(host,
        remembered.size(), remembered.modifiedNanos(), remembered.changedNanos(),
        remembered.inode(), Digest.sha256("planted".getBytes(StandardCharsets.UTF_8)))),
        List.of());

    assertThat(checksum(local(), 0)).isNotEqualTo(honest);
  }

  @Test
  void readsFileAgainWhenContentChangesWithSameSizeAndTime() throws Exception {
    write("f.txt", "aaaa");
    Path file = context.resolve("f.txt");
    FileTime time = Files.getLastModifiedTime(file);
    Thread.sleep(20);
    Digest before = checksum(local(), 0);

    Files.writeString(file, "bbbb");
    Files.setLastModifiedTime(file, time);

    // Same size and mtime; only the change time tells, and it must.
    assertThat(checksum(local(), 0)).isNotEqualTo(before);
  }

  /** The checksum a build without remembered digests computes: every file read. */
  private Digest readEverything(Operation.Local local) throws Exception {
    try (ContextChecksum checksums = ContextChecksum.open(context, Optional.empty(), 0)) {
      return checksums.of(local);
    }
  }

  /**
   * Builds twice with {@code original} at f.txt (the second build takes its digest from the
   * process-wide memo), applies {@code change}, and returns the checksums before and after.
   */
  private Digest[] buildAroundChange(String original, Change change) throws Exception {
    write("f.txt", original);
    write("other.txt", "unchanged");
    Thread.sleep(20);
    Digest first = checksum(local(), 0);
    assertThat(checksum(local(), 0)).as("rebuilt from remembered digests").isEqualTo(first);
    Thread.sleep(20);
    change.apply(context.resolve("f.txt"));
    return new Digest[] {first, checksum(local(), 0)};
  }

  /** A change to a file between two builds. */
  @FunctionalInterface
  private interface Change {
    void apply(Path file) throws Exception;
  }

  @Test
  void readsFileAgainInSameProcessWhenSizeChanges() throws Exception {
    Digest[] around = buildAroundChange("aaaa", file -> Files.writeString(file, "aaaaa"));

    assertThat(around[1]).isNotEqualTo(around[0]).isEqualTo(readEverything(local()));
  }

  @Test
  void readsFileAgainInSameProcessWhenOnlyModificationTimeTells() throws Exception {
    Digest[] around = buildAroundChange("aaaa", file -> {
      FileTime before = Files.getLastModifiedTime(file);
      Files.writeString(file, "bbbb");
      Files.setLastModifiedTime(file, FileTime.fromMillis(before.toMillis() + 1_000));
    });

    assertThat(around[1]).isNotEqualTo(around[0]).isEqualTo(readEverything(local()));
  }

  @Test
  void readsFileAgainInSameProcessWhenOnlyChangeTimeTells() throws Exception {
    Digest[] around = buildAroundChange("aaaa", file -> {
      FileTime before = Files.getLastModifiedTime(file);
      Files.writeString(file, "bbbb");
      Files.setLastModifiedTime(file, before);
    });

    assertThat(around[1]).isNotEqualTo(around[0]).isEqualTo(readEverything(local()));
  }

  @Test
  void readsFileAgainInSameProcessWhenReplacedBySameSizeAndTime() throws Exception {
    Digest[] around = buildAroundChange("aaaa", file -> {
      // Another inode with the same size and modification time, renamed over the original.
      FileTime before = Files.getLastModifiedTime(file);
      Path replacement = dir.resolve("replacement");
      Files.writeString(replacement, "bbbb");
      Files.setLastModifiedTime(replacement, before);
      Files.move(replacement, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    });

    assertThat(around[1]).isNotEqualTo(around[0]).isEqualTo(readEverything(local()));
  }

  @Test
  void readsChangedFileAgainWhenAnotherProcessDroppedItsRow() throws Exception {
    write("f.txt", "aaaa");
    Thread.sleep(20);
    Digest before = checksum(local(), 0);
    // Another process forgets every remembered digest; this one still remembers them.
    database.transaction(connection -> {
      try (var delete = connection.prepareStatement("DELETE FROM context_file_digest")) {
        return delete.executeUpdate();
      }
    });
    Thread.sleep(20);
    Files.writeString(context.resolve("f.txt"), "bbbb");

    assertThat(checksum(local(), 0)).isNotEqualTo(before).isEqualTo(readEverything(local()));
  }

  @Test
  void givesEveryConcurrentBuildTheChecksumOfWhatTheContextHolds() throws Exception {
    for (int i = 0; i < 200; i++) {
      write("d" + (i % 7) + "/f" + i, "content " + i);
    }
    int builds = 6;
    for (int round = 0; round < 5; round++) {
      // Between rounds: one file keeps its size and time but not its content, one grows, one
      // goes, one comes.
      if (round > 0) {
        int kept = 1 + 7 * round;
        Path same = context.resolve("d1/f" + kept);
        FileTime time = Files.getLastModifiedTime(same);
        Files.writeString(same, "CONTENT " + kept);
        Files.setLastModifiedTime(same, time);
        write("d2/f" + (2 + 7 * round), "grown in round " + round);
        Files.deleteIfExists(context.resolve("d3/f" + (3 + 7 * round)));
        write("new/f" + round, "new in round " + round);
      }
      Thread.sleep(20);
      Digest expected = readEverything(local());
      java.util.List<java.util.concurrent.Future<Digest>> results = new java.util.ArrayList<>();
      java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
      try (java.util.concurrent.ExecutorService threads =
          java.util.concurrent.Executors.newFixedThreadPool(builds)) {
        for (int b = 0; b < builds; b++) {
          // Each build opens its own cache over the shared database, as each build of a
          // long-lived server opens its own engine on the same root.
          results.add(threads.submit(() -> {
            start.await();
            try (ContextChecksum checksums = ContextChecksum.open(context,
                Optional.of(new FileDigestCache(database)), 0)) {
              return checksums.of(local());
            }
          }));
        }
        start.countDown();
        for (java.util.concurrent.Future<Digest> result : results) {
          assertThat(result.get(1, java.util.concurrent.TimeUnit.MINUTES))
              .as("round %d", round).isEqualTo(expected);
        }
      }
    }
  }

  @Test
  void doesNotRememberFilesChangedJustBeforeTheWalk() throws Exception {
    write("fresh.txt", "just written");

    checksum(local(), ContextChecksum.SETTLED_NANOS);

    assertThat(store.under(context.toRealPath().toString()).isEmpty()).isTrue();
  }

  @Test
  void forgetsFilesThatLeftTheContext() throws Exception {
    write("keep.txt", "k");
    write("gone.txt", "g");
    Thread.sleep(20);
    checksum(local(), 0);
    Files.delete(context.resolve("gone.txt"));

    checksum(local(), 0);

    assertThat(store.under(context.toRealPath().toString()).toMap())
        .containsOnlyKeys("keep.txt");
  }

  @Test
  void describesSymlinksAndModesInChecksum() throws Exception {
    write("f.txt", "x");
    Files.createSymbolicLink(context.resolve("link"), Path.of("f.txt"));
    Digest before = checksum(local(), 0);
    Files.delete(context.resolve("link"));
    Files.createSymbolicLink(context.resolve("link"), Path.of("elsewhere"));
    Digest retargeted = checksum(local(), 0);
    Files.setAttribute(context.resolve("f.txt"), "unix:mode", 0600, LinkOption.NOFOLLOW_LINKS);

    assertThat(retargeted).isNotEqualTo(before);
    assertThat(checksum(local(), 0)).isNotEqualTo(retargeted);
  }

  private static ContextEntry entry(String path) {
    return new ContextEntry(path, ContextEntry.Type.FILE, 0100644, 1, 0, 0, 0, Optional.empty());
  }

  private static List<String> selectedPaths(List<String> sorted, String... includes) {
    return ContextChecksum.select(sorted.stream().map(ContextChecksumTest::entry).toList(),
        List.of(includes)).stream().map(ContextEntry::path).toList();
  }

  @Test
  void selectsPlainIncludeAndEverythingBelowItButNotSiblingsSortedBetween() {
    // "src/a-x" and "src/a.txt" sort between "src/a" and "src/a/..." ('-' and '.' come before '/').
    List<String> sorted = List.of("src", "src/a", "src/a-x", "src/a-x/f", "src/a.txt", "src/a/f",
        "src/a/g/h", "src/ab", "src/b/f");

    assertThat(selectedPaths(sorted, "src/a")).containsExactly("src/a", "src/a/f", "src/a/g/h");
    assertThat(selectedPaths(sorted, "src/a/g/h")).containsExactly("src/a/g/h");
    assertThat(selectedPaths(sorted, "missing")).isEmpty();
    assertThat(selectedPaths(sorted)).isEqualTo(sorted);
  }

  @Test
  void selectsWildcardAndPlainIncludesTogetherInPathOrder() {
    List<String> sorted = List.of("a.txt", "b/c.txt", "b/d.bin", "z/y");

    assertThat(selectedPaths(sorted, "z", "*.txt", "b/*.bin"))
        .containsExactly("a.txt", "b/d.bin", "z/y");
  }

  @Test
  void hashesOneLinePerSelectedEntryInPathOrder() throws Exception {
    write("d/f.txt", "hello");
    Files.setAttribute(context.resolve("d/f.txt"), "unix:mode", 0640, LinkOption.NOFOLLOW_LINKS);
    Files.createSymbolicLink(context.resolve("d/link"), Path.of("f.txt"));
    int dirMode = (Integer) Files.getAttribute(context.resolve("d"), "unix:mode",
        LinkOption.NOFOLLOW_LINKS);
    int linkMode = (Integer) Files.getAttribute(context.resolve("d/link"), "unix:mode",
        LinkOption.NOFOLLOW_LINKS);
    String nul = "\0";
    String lines = "d" + nul + Integer.toOctalString(dirMode) + nul + "\n"
        + "d/f.txt" + nul + "100640" + nul + "5" + nul
        + Digest.sha256("hello".getBytes(StandardCharsets.UTF_8)) + "\n"
        + "d/link" + nul + Integer.toOctalString(linkMode) + nul + "f.txt\n";

    assertThat(checksum(local("d"), 0))
        .isEqualTo(Digest.sha256(lines.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void hashesContextsLargerThanOneBatchOfLines() throws Exception {
    for (int i = 0; i < 600; i++) {
      write("many/f" + i + ".txt", "content " + i);
    }
    Digest remembered = checksum(local("many"), 0);
    Digest again = checksum(local("many"), 0);
    write("many/f599.txt", "changed");

    assertThat(again).isEqualTo(remembered);
    assertThat(checksum(local("many"), 0)).isNotEqualTo(remembered);
  }
}
