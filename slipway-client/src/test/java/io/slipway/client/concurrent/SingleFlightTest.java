package io.slipway.client.concurrent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SingleFlightTest {
  private static final Duration LONG = Duration.ofSeconds(10);

  /** Records every thread it makes, so tests can assert on their state. */
  private static final class Threads implements ThreadFactory {
    final List<Thread> made = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public Thread newThread(Runnable task) {
      Thread thread = Thread.ofPlatform().daemon().name("flight-" + made.size()).unstarted(task);
      made.add(thread);
      return thread;
    }
  }

  @Test
  void doesRunWorkOnceWhenManyCallersShareAKey() throws Exception {
    SingleFlight<String, Integer> flights = new SingleFlight<>();
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch gate = new CountDownLatch(1);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Integer>> results = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        results.add(pool.submit(() -> flights.await("k", () -> {
          runs.incrementAndGet();
          gate.await();
          return 42;
        }, LONG)));
      }
      // Let every caller join before the work may finish.
      Thread.sleep(200);
      gate.countDown();
      for (Future<Integer> result : results) {
        assertThat(result.get(5, TimeUnit.SECONDS)).isEqualTo(42);
      }
    }
    assertThat(runs.get()).as("work runs").isEqualTo(1);
    assertThat(flights.inFlight()).isZero();
  }

  @Test
  void doesNotDelayOtherKeysWhenOneKeyHangs() throws Exception {
    SingleFlight<String, String> flights = new SingleFlight<>();
    CountDownLatch never = new CountDownLatch(1);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<String> hung = pool.submit(() -> flights.await("hung", () -> {
        never.await();
        return "never";
      }, LONG));
      long start = System.nanoTime();
      for (int i = 0; i < 20; i++) {
        String key = "k" + i;
        assertThat(flights.await(key, () -> key, LONG)).isEqualTo(key);
      }
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
      hung.cancel(true);
    }
  }

  @Test
  void doesCancelWorkWhenLastWaiterTimesOut() throws Exception {
    Threads threads = new Threads();
    SingleFlight<String, String> flights = new SingleFlight<>(threads);
    CountDownLatch interrupted = new CountDownLatch(1);
    assertThatThrownBy(() -> flights.await("k", () -> {
      try {
        new CountDownLatch(1).await();
        return "never";
      } catch (InterruptedException e) {
        interrupted.countDown();
        throw e;
      }
    }, Duration.ofMillis(100))).isInstanceOf(TimeoutException.class);
    assertThat(interrupted.await(2, TimeUnit.SECONDS)).as("work interrupted").isTrue();
    threads.made.getFirst().join(2000);
    assertThat(threads.made.getFirst().getState()).isEqualTo(Thread.State.TERMINATED);
    assertThat(flights.inFlight()).isZero();
  }

  @Test
  void doesKeepWorkRunningWhenOneOfTwoWaitersLeaves() throws Exception {
    SingleFlight<String, String> flights = new SingleFlight<>();
    CountDownLatch gate = new CountDownLatch(1);
    AtomicInteger runs = new AtomicInteger();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<String> patient = pool.submit(() -> flights.await("k", () -> {
        runs.incrementAndGet();
        gate.await();
        return "done";
      }, LONG));
      Thread.sleep(100);
      Future<String> impatient = pool.submit(() -> flights.await("k", () -> "other", LONG));
      Thread.sleep(100);
      impatient.cancel(true);
      gate.countDown();
      assertThat(patient.get(5, TimeUnit.SECONDS)).isEqualTo("done");
    }
    assertThat(runs.get()).isEqualTo(1);
  }

  @Test
  void doesStartAfreshWhenPreviousFlightWasAbandoned() throws Exception {
    SingleFlight<String, String> flights = new SingleFlight<>();
    assertThatThrownBy(() -> flights.await("k", () -> {
      new CountDownLatch(1).await();
      return "never";
    }, Duration.ofMillis(50))).isInstanceOf(TimeoutException.class);
    assertThat(flights.await("k", () -> "fresh", LONG)).isEqualTo("fresh");
  }

  @Test
  void doesReportWorkFailureToEveryWaiterWhenWorkThrows() {
    SingleFlight<String, String> flights = new SingleFlight<>();
    assertThatThrownBy(() -> flights.await("k", () -> {
      throw new IllegalStateException("boom");
    }, LONG)).isInstanceOf(ExecutionException.class).hasRootCauseMessage("boom");
  }
}
