package io.slipway.build.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.build.dockerfile.RunMount.Sharing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CacheMountsTest {

  private static final CacheMounts.Seed NO_SEED = dir -> false;

  @TempDir Path root;

  @Test
  void doesGiveTheSameDirectoryToConcurrentStepsWhenShared() throws Exception {
    CacheMounts caches = new CacheMounts(root);
    try (var a = caches.acquire("go", Sharing.SHARED, NO_SEED, 0, 0, 0755);
        var b = caches.acquire("go", Sharing.SHARED, NO_SEED, 0, 0, 0755)) {
      assertThat(a.directory()).isEqualTo(b.directory());
    }
  }

  @Test
  void doesGiveAnotherDirectoryToAConcurrentStepWhenPrivate() throws Exception {
    CacheMounts caches = new CacheMounts(root);
    Path first;
    try (var a = caches.acquire("go", Sharing.PRIVATE, NO_SEED, 0, 0, 0755);
        var b = caches.acquire("go", Sharing.PRIVATE, NO_SEED, 0, 0, 0755)) {
      assertThat(a.directory()).isNotEqualTo(b.directory());
      first = a.directory();
    }
    try (var again = caches.acquire("go", Sharing.PRIVATE, NO_SEED, 0, 0, 0755)) {
      assertThat(again.directory()).isEqualTo(first);
    }
  }

  @Test
  void doesMakeASecondStepWaitUntilReleaseWhenLocked() throws Exception {
    CacheMounts caches = new CacheMounts(root);
    var first = caches.acquire("apt", Sharing.LOCKED, NO_SEED, 0, 0, 0755);
    try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
      CompletableFuture<Path> second = new CompletableFuture<>();
      executor.submit(
          () -> {
            try (var lease = caches.acquire("apt", Sharing.LOCKED, NO_SEED, 0, 0, 0755)) {
              second.complete(lease.directory());
            } catch (Exception e) {
              second.completeExceptionally(e);
            }
            return null;
          });
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> second.get(300, TimeUnit.MILLISECONDS))
          .isInstanceOf(TimeoutException.class);
      first.close();
      assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo(first.directory());
    }
  }

  @Test
  void doesApplyModeAndOwnerWhenCreatingWithoutSeed() throws Exception {
    CacheMounts caches = new CacheMounts(root);
    try (var lease = caches.acquire("x", Sharing.SHARED, NO_SEED, 1234, 5678, 0700)) {
      UnixAttributes attributes = UnixAttributes.of(lease.directory());
      assertThat(attributes.mode() & 07777).isEqualTo(0700);
      assertThat(attributes.uid()).isEqualTo(1234);
      assertThat(attributes.gid()).isEqualTo(5678);
    }
  }

  @Test
  void doesKeepContentsAcrossExecutorsWhenReopened() throws Exception {
    try (var lease = new CacheMounts(root).acquire("m2", Sharing.SHARED, NO_SEED, 0, 0, 0755)) {
      Files.writeString(lease.directory().resolve("artifact"), "kept");
    }
    CacheMounts.Seed failing =
        dir -> {
          throw new AssertionError("an existing cache must not be seeded again");
        };
    try (var lease = new CacheMounts(root).acquire("m2", Sharing.SHARED, failing, 0, 0, 0755)) {
      assertThat(lease.directory().resolve("artifact")).hasContent("kept");
    }
  }

  @Test
  void doesRemakeADirectoryWhenACrashLeftItWithoutReadyMarker() throws Exception {
    Path half = root.resolve(CacheMounts.key("pip")).resolve("0").resolve("data");
    Files.createDirectories(half);
    Files.writeString(half.resolve("partial"), "x");
    try (var lease =
        new CacheMounts(root)
            .acquire(
                "pip", Sharing.SHARED,
                dir -> {
                  Files.writeString(dir.resolve("seeded"), "y");
                  return true;
                },
                0, 0, 0755)) {
      assertThat(lease.directory().resolve("partial")).doesNotExist();
      assertThat(lease.directory().resolve("seeded")).exists();
    }
  }
}
