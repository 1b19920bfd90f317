package io.slipway.build.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.oci.Digest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ContextDigestMemoTest {

  private static final Path DATABASE = Path.of("/state/meta.db");

  private static ContextDigestMemo.Key key(String directory) {
    return new ContextDigestMemo.Key(DATABASE, directory);
  }

  private static FileDigestCache.Entry entry(String directory, String path, long size) {
    return new FileDigestCache.Entry(directory + path, size, 1, 2, 3,
        Digest.sha256((path + size).getBytes(StandardCharsets.UTF_8)));
  }

  /** Entries named {@code paths} under {@code directory}, by relative path. */
  private static ContextDigests digests(String directory, String... paths) {
    Map<String, FileDigestCache.Entry> byPath = new HashMap<>();
    for (String path : paths) {
      byPath.put(path, entry(directory, path, 1));
    }
    return ContextDigests.of(byPath);
  }

  @Test
  void returnsKeptSnapshotOfSameDatabaseAndDirectoryOnly() {
    ContextDigestMemo memo = new ContextDigestMemo(10);
    ContextDigests kept = digests("/c/", "a", "b");

    memo.putIfAbsent(key("/c/"), kept);

    assertThat(memo.get(key("/c/"))).containsSame(kept);
    assertThat(memo.get(key("/other/"))).isEmpty();
    assertThat(memo.get(new ContextDigestMemo.Key(Path.of("/other-root/meta.db"), "/c/")))
        .as("another root's rows")
        .isEmpty();
  }

  @Test
  void keepsSnapshotAlreadyKeptRatherThanOneReadEarlier() {
    ContextDigestMemo memo = new ContextDigestMemo(10);
    ContextDigests first = digests("/c/", "a");
    memo.putIfAbsent(key("/c/"), first);

    memo.putIfAbsent(key("/c/"), digests("/c/", "a", "b"));

    assertThat(memo.get(key("/c/"))).containsSame(first);
  }

  @Test
  void evictsLeastRecentlyUsedContextsToStayWithinBound() {
    ContextDigestMemo memo = new ContextDigestMemo(5);
    memo.putIfAbsent(key("/a/"), digests("/a/", "1", "2"));
    memo.putIfAbsent(key("/b/"), digests("/b/", "1", "2"));
    memo.get(key("/a/"));

    memo.putIfAbsent(key("/c/"), digests("/c/", "1", "2"));

    assertThat(memo.get(key("/b/"))).as("least recently used").isEmpty();
    assertThat(memo.get(key("/a/"))).isPresent();
    assertThat(memo.get(key("/c/"))).isPresent();
    assertThat(memo.size()).isEqualTo(4);
  }

  @Test
  void keepsNoContextLargerThanBound() {
    ContextDigestMemo memo = new ContextDigestMemo(2);
    memo.putIfAbsent(key("/small/"), digests("/small/", "1"));

    memo.putIfAbsent(key("/big/"), digests("/big/", "1", "2", "3"));

    assertThat(memo.get(key("/big/"))).isEmpty();
    assertThat(memo.get(key("/small/"))).as("not evicted for a context that is not kept")
        .isPresent();
    assertThat(memo.size()).isEqualTo(1);
  }

  @Test
  void dropsContextThatGrowsPastBound() {
    ContextDigestMemo memo = new ContextDigestMemo(2);
    memo.putIfAbsent(key("/c/"), digests("/c/", "1", "2"));

    memo.apply(key("/c/"), Map.of("3", entry("/c/", "3", 1)), List.of());

    assertThat(memo.get(key("/c/"))).isEmpty();
    assertThat(memo.size()).isZero();
  }

  @Test
  void appliesRememberedAndForgottenEntries() {
    ContextDigestMemo memo = new ContextDigestMemo(10);
    memo.putIfAbsent(key("/c/"), digests("/c/", "keep", "gone", "changed"));
    FileDigestCache.Entry changed = entry("/c/", "changed", 7);

    memo.apply(key("/c/"), Map.of("changed", changed, "new", entry("/c/", "new", 1)),
        List.of("gone"));

    ContextDigests now = memo.get(key("/c/")).orElseThrow();
    assertThat(now.toMap()).containsOnlyKeys("keep", "changed", "new");
    assertThat(now.find("changed")).contains(changed);
    assertThat(memo.size()).isEqualTo(3);
  }

  @Test
  void keepsNothingForContextWithoutSnapshot() {
    ContextDigestMemo memo = new ContextDigestMemo(10);

    memo.apply(key("/c/"), Map.of("a", entry("/c/", "a", 1)), List.of());

    assertThat(memo.get(key("/c/"))).as("the next build reads the rows").isEmpty();
  }

  @Test
  void losesNoChangeOfConcurrentUpdates() throws Exception {
    ContextDigestMemo memo = new ContextDigestMemo(10_000);
    memo.putIfAbsent(key("/c/"), digests("/c/"));
    int threads = 8;
    int perThread = 200;
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < perThread; i++) {
            String path = thread + "/" + i;
            memo.apply(key("/c/"), Map.of(path, entry("/c/", path, 1)), List.of());
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> future : done) {
        future.get(1, TimeUnit.MINUTES);
      }
    }

    assertThat(memo.get(key("/c/")).orElseThrow().size()).isEqualTo(threads * perThread);
    assertThat(memo.size()).isEqualTo(threads * perThread);
  }
}
