package io.slipway.build.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.oci.Digest;
import io.slipway.store.sql.SqliteDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileDigestCacheTest {

  private static final String CONTEXT = "/ctx";

  @TempDir Path dir;
  SqliteDatabase database;

  @BeforeEach
  void open() throws Exception {
    database = SqliteDatabase.open(dir.resolve("meta.db"), List.of(BuildCache.MIGRATIONS));
  }

  @AfterEach
  void close() throws Exception {
    database.close();
  }

  private static FileDigestCache.Entry entry(String relative, String content) {
    return new FileDigestCache.Entry(CONTEXT + "/" + relative, content.length(), 10, 20, 30,
        Digest.sha256(content.getBytes(StandardCharsets.UTF_8)));
  }

  /** Deletes every row behind the cache's back, as another process's prune of them would. */
  private void deleteRowsElsewhere() throws Exception {
    database.transaction(connection -> {
      try (PreparedStatement delete =
          connection.prepareStatement("DELETE FROM context_file_digest")) {
        return delete.executeUpdate();
      }
    });
  }

  @Test
  void readsRowsOnceThenServesThemFromMemo() throws Exception {
    FileDigestCache cache = new FileDigestCache(database, new ContextDigestMemo(100));
    cache.update(CONTEXT, List.of(entry("a", "a"), entry("d/b", "b")), List.of());
    ContextDigests first = cache.under(CONTEXT);

    deleteRowsElsewhere();

    assertThat(cache.under(CONTEXT)).isSameAs(first);
    assertThat(first.toMap()).containsOnlyKeys("a", "d/b");
    assertThat(new FileDigestCache(database, new ContextDigestMemo(100)).under(CONTEXT).isEmpty())
        .as("a process without the memo reads the rows")
        .isTrue();
  }

  @Test
  void keepsMemoInStepWithWhatItCommits() throws Exception {
    ContextDigestMemo memo = new ContextDigestMemo(100);
    FileDigestCache cache = new FileDigestCache(database, memo);
    cache.update(CONTEXT, List.of(entry("keep", "k"), entry("gone", "g"), entry("changed", "1")),
        List.of());
    cache.under(CONTEXT);

    cache.update(CONTEXT, List.of(entry("changed", "22"), entry("new", "n")), List.of("gone"));

    ContextDigests fromRows =
        new FileDigestCache(database, new ContextDigestMemo(100)).under(CONTEXT);
    ContextDigests fromMemo = cache.under(CONTEXT);
    assertThat(fromMemo.toMap()).isEqualTo(fromRows.toMap());
    assertThat(fromMemo.toMap()).containsOnlyKeys("keep", "changed", "new");
    assertThat(fromMemo.find("changed").orElseThrow().size()).isEqualTo(2);
  }

  @Test
  void sharesNoRowsBetweenDatabases() throws Exception {
    ContextDigestMemo memo = new ContextDigestMemo(100);
    new FileDigestCache(database, memo).update(CONTEXT, List.of(entry("a", "a")), List.of());
    new FileDigestCache(database, memo).under(CONTEXT);
    try (SqliteDatabase other =
        SqliteDatabase.open(dir.resolve("other.db"), List.of(BuildCache.MIGRATIONS))) {

      assertThat(new FileDigestCache(other, memo).under(CONTEXT).isEmpty()).isTrue();
    }
  }

  @Test
  void listsEntriesInStringOrderWhateverOrderRowsComeIn() throws Exception {
    FileDigestCache cache = new FileDigestCache(database, new ContextDigestMemo(100));
    // A character beyond the Basic Multilingual Plane sorts after U+FFFD in UTF-8 bytes (the
    // database's order) but before it in UTF-16 (String order).
    cache.update(CONTEXT, List.of(entry("\uFFFD", "x"), entry("\uD83D\uDE00", "y"),
        entry("a", "z")), List.of());

    ContextDigests digests = cache.under(CONTEXT);

    assertThat(List.of(digests.path(0), digests.path(1), digests.path(2)))
        .containsExactly("a", "\uD83D\uDE00", "\uFFFD");
  }
}
