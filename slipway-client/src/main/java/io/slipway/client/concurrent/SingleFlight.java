package io.slipway.client.concurrent;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * De-duplicates concurrent work per key: while the work for a key runs, every other caller with
 * the same key waits for that one result instead of starting the work again.
 *
 * <p>Each caller waits with its own timeout and can be interrupted; a caller that gives up stops
 * waiting at once and leaves the others undisturbed. When the last caller gives up, the work is
 * cancelled (its thread is interrupted) and forgotten, so the next caller starts afresh. No lock is
 * held while the work runs or while a caller waits: the only shared state is a concurrent map and
 * per-flight atomic counters. Work for different keys never waits on each other.
 *
 * <p>A finished flight is forgotten immediately; callers that want to reuse results keep them in a
 * cache of their own and look there first (as {@code TokenCache} does).
 *
 * <p>Safe for concurrent use. This lives in the client because the token cache needed it first; it
 * depends on nothing but the JDK, so it may move to a lower module for the build solver.
 *
 * @param <K> the key; equal keys share one flight
 * @param <V> the result of the work
 */
public final class SingleFlight<K, V> {

  private final ConcurrentHashMap<K, Flight<V>> flights = new ConcurrentHashMap<>();
  private final ThreadFactory threads;

  /** A group that runs each piece of work on a new virtual thread. */
  public SingleFlight() {
    this(Thread.ofVirtual().name("single-flight-", 0).factory());
  }

  /** A group that runs each piece of work on a thread from {@code threads}. */
  public SingleFlight(ThreadFactory threads) {
    this.threads = Objects.requireNonNull(threads, "threads");
  }

  /**
   * Returns the result of {@code work} for {@code key}, joining a flight already under way for an
   * equal key or starting one.
   *
   * @throws TimeoutException when no result came within {@code timeout}; this caller no longer
   *     waits, and the work is cancelled if no other caller waits for it
   * @throws InterruptedException when this caller's thread was interrupted, with the same effect
   * @throws ExecutionException when the work failed; its cause is the work's exception
   */
  public V await(K key, Callable<? extends V> work, Duration timeout)
      throws InterruptedException, TimeoutException, ExecutionException {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(work, "work");
    Flight<V> flight = join(key, work);
    boolean answered = false;
    try {
      V value = flight.result.get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
      answered = true;
      return value;
    } catch (ExecutionException e) {
      answered = true;
      throw e;
    } catch (CancellationException e) {
      // Only possible through cancel(): report it as the work's failure.
      answered = true;
      throw new ExecutionException("work for " + key + " was cancelled", e);
    } finally {
      if (!answered) {
        leave(key, flight);
      }
    }
  }

  /** How many flights are under way; for tests and metrics. */
  public int inFlight() {
    return flights.size();
  }

  /** Cancels the flight for {@code key}, if any; its waiters get an {@link ExecutionException}. */
  public void cancel(K key) {
    Flight<V> flight = flights.remove(key);
    if (flight != null) {
      flight.cancel();
    }
  }

  private Flight<V> join(K key, Callable<? extends V> work) {
    while (true) {
      Flight<V> created = new Flight<>();
      Flight<V> existing = flights.putIfAbsent(key, created);
      if (existing == null) {
        created.start(threads, work, () -> flights.remove(key, created));
        return created;
      }
      if (existing.tryJoin()) {
        return existing;
      }
      // Abandoned by all its waiters and being cancelled: replace it with a fresh flight.
      flights.remove(key, existing);
    }
  }

  private void leave(K key, Flight<V> flight) {
    if (flight.leave()) {
      flights.remove(key, flight);
      flight.cancel();
    }
  }

  /** One run of the work and the callers waiting for it. */
  private static final class Flight<V> {
    final CompletableFuture<V> result = new CompletableFuture<>();
    /** Callers still waiting; once it reaches zero the flight is abandoned for good. */
    final AtomicInteger waiters = new AtomicInteger(1);

    volatile Thread thread;

    void start(ThreadFactory threads, Callable<? extends V> work, Runnable forget) {
      Thread worker =
          threads.newThread(
              () -> {
                V value = null;
                Throwable failure = null;
                try {
                  value = work.call();
                } catch (Throwable t) {
                  failure = t;
                }
                // Forget the flight before publishing its result: a caller that arrives after a
                // waiter has seen the result must start new work, not join this finished flight.
                forget.run();
                if (failure == null) {
                  result.complete(value);
                } else {
                  result.completeExceptionally(failure);
                }
              });
      thread = worker;
      worker.start();
    }

    boolean tryJoin() {
      while (true) {
        int count = waiters.get();
        if (count == 0) {
          return false;
        }
        if (waiters.compareAndSet(count, count + 1)) {
          return true;
        }
      }
    }

    /** Returns true when this was the last waiter of an unfinished flight. */
    boolean leave() {
      return waiters.decrementAndGet() == 0 && !result.isDone();
    }

    void cancel() {
      result.cancel(false);
      Thread worker = thread;
      if (worker != null) {
        worker.interrupt();
      }
    }
  }
}
