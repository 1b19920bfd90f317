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
