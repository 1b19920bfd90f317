package io.slipway.build.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.build.export.BuiltImage;
import io.slipway.build.solver.ExecChanges;
import io.slipway.build.solver.Executor;
import io.slipway.testing.RequiresTool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@RequiresTool(value = "busybox", debianPackage = "busybox-static")
class ConcurrentBuildsTest {

  @TempDir Path dir;

  @Test
  void computesEachStepOnceWhenManyBuildsShareCache() throws Exception {
    String dockerfile = """
        FROM busybox
        COPY a.txt /a/
        COPY b.txt /b/
        WORKDIR /w
        """;
    try (BuildFixture fixture = new BuildFixture(dir)) {
      fixture.file("a.txt", "a");
      fixture.file("b.txt", "b");
      int builds = 12;
      CountDownLatch start = new CountDownLatch(1);
      List<Future<BuiltImage>> results = new ArrayList<>();
      try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int i = 0; i < builds; i++) {
          results.add(threads.submit(() -> {
            start.await();
            return fixture.build(dockerfile).image();
          }));
        }
        start.countDown();
        List<BuiltImage> images = new ArrayList<>();
        for (Future<BuiltImage> result : results) {
          images.add(result.get(2, TimeUnit.MINUTES));
        }
        assertThat(images).extracting(BuiltImage::manifest).containsOnly(images.getFirst().manifest());
      }
      // The base image, two COPY steps and WORKDIR: each computed by exactly one build.
      assertThat(fixture.engine.solver().executions()).isEqualTo(4);
    }
  }

  @Test
  void finishesOtherBuildsAndRecordsNothingWhenHungStepIsCancelled() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    AtomicInteger interrupted = new AtomicInteger();
    Executor hanging = step -> {
      running.countDown();
      try {
        Thread.sleep(TimeUnit.HOURS.toMillis(1));
      } catch (InterruptedException e) {
        interrupted.incrementAndGet();
        throw e;
      }
      return new ExecChanges.Diff(step.workDirectory(), new TreeSet<>());
    };
    try (BuildFixture fixture = new BuildFixture(dir, dir.resolve("state"), hanging)) {
      fixture.file("a.txt", "a");
      try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
        Future<BuildResult> hung = threads.submit(
            () -> fixture.build("FROM busybox\nCOPY a.txt /a/\nRUN sleep 3600\n"));
        assertThat(running.await(1, TimeUnit.MINUTES)).isTrue();
        // An independent build makes progress while the RUN step hangs.
        BuildResult other = threads.submit(() -> fixture.build("FROM busybox\nCOPY a.txt /other/\n"))
            .get(1, TimeUnit.MINUTES);
        assertThat(other.image().layers()).hasSize(4);
        hung.cancel(true);
        assertThatThrownBy(() -> hung.get()).isInstanceOf(java.util.concurrent.CancellationException.class);
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (interrupted.get() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(interrupted.get()).isEqualTo(1);
      // The base image and both COPY steps are recorded (the hung build's COPY finished before
      // the cancel, so it keeps its record); the cancelled RUN left none.
      assertThat(fixture.engine.solver().cache().entries())
          .extracting(entry -> entry.record().kind())
          .containsExactlyInAnyOrder("image", "file", "file");
      Path snapshots = dir.resolve("state/snapshots");
      while (temporaryDirectories(snapshots) > 0 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(temporaryDirectories(snapshots)).isZero();
    }
  }

  private static long temporaryDirectories(Path snapshots) throws Exception {
    try (var entries = Files.list(snapshots)) {
      return entries.filter(p -> p.getFileName().toString().startsWith("tmp-")).count();
    }
  }
}
