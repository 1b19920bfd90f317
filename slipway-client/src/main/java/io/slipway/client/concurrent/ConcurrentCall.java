package io.slipway.client.concurrent;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * One blocking call started on a virtual thread so that the caller can make another call at the
 * same time, then collect this one's result with {@link #join()} (or give it up with {@link
 * #cancel()}). For two independent requests whose round trips would otherwise add up, such as
 * opening an upload session on one registry while asking another for the blob.
 *
 * <p>Owned by the thread that started it: that thread joins or cancels it, once.
 *
 * @param <T> the call's result
 */
public final class ConcurrentCall<T> {
  /** The call: blocking work that may fail with I/O or be interrupted. */
  @FunctionalInterface
  public interface Call<T> {
    T run() throws IOException, InterruptedException;
  }

  private final FutureTask<T> task;

  private ConcurrentCall(Call<T> call, String name) {
    this.task = new FutureTask<>(call::run);
    Thread.ofVirtual().name(name).start(task);
  }

  /** Starts {@code call} on a new virtual thread named {@code name}. */
  public static <T> ConcurrentCall<T> start(String name, Call<T> call) {
    return new ConcurrentCall<>(call, name);
  }

  /**
   * Waits for the call and returns its result, or throws what it threw. Interrupted while
   * waiting, it cancels the call (interrupting its thread) before rethrowing.
   */
  public T join() throws IOException, InterruptedException {
    try {
      return task.get();
    } catch (ExecutionException e) {
      throw TaskFailures.unwrap(e.getCause());
    } catch (InterruptedException e) {
      cancel();
      throw e;
    }
  }

  /** Gives the call up: interrupts it if it is still running; its result, if any, is dropped. */
  public void cancel() {
    task.cancel(true);
  }
}
