package io.slipway.client;

import io.slipway.client.concurrent.TaskFailures;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs tasks on virtual threads and waits for all; the first failure cancels the rest and is
 * rethrown as it was. Stateless.
 */
final class Parallel {
  private Parallel() {}

  /** One task that may fail with I/O or be interrupted. */
  @FunctionalInterface
  interface Task {
    void run() throws IOException, InterruptedException;
  }

  static void run(List<Task> tasks) throws IOException, InterruptedException {
    if (tasks.size() == 1) {
      tasks.getFirst().run();
      return;
    }
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Void>> futures = new ArrayList<>();
      for (Task task : tasks) {
        futures.add(pool.submit(() -> {
          task.run();
          return null;
        }));
      }
      try {
        for (Future<Void> future : futures) {
          future.get();
        }
      } catch (ExecutionException e) {
        pool.shutdownNow();
        throw TaskFailures.unwrap(e.getCause());
      } catch (InterruptedException e) {
        pool.shutdownNow();
        throw e;
      }
    }
  }
}
