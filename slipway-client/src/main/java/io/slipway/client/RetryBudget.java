package io.slipway.client;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The attempts one multi-request operation (a blob copy with its resumes) has made against its
 * {@link RetryPolicy}: each failure is recorded, then either waited out with backoff and jitter
 * or, when attempts or time run out, turned into a {@link RetriesExhaustedException} listing
 * them all. Confined to the thread running the operation.
 */
final class RetryBudget {
  private final RetryPolicy policy;
  private final String operation;
  private final long start = System.nanoTime();
  private final List<RetriesExhaustedException.Attempt> attempts = new ArrayList<>();

  RetryBudget(RetryPolicy policy, String operation) {
    this.policy = policy;
    this.operation = operation;
  }

  /**
   * Records that the latest attempt failed with {@code failure} ({@code detail} says where), then
   * sleeps before the next one.
   *
   * @throws RetriesExhaustedException when no attempt is left within the policy
   */
  void failed(IOException failure, String detail) throws IOException, InterruptedException {
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    attempts.add(new RetriesExhaustedException.Attempt(attempts.size() + 1, elapsed,
        failure + (detail.isEmpty() ? "" : " " + detail)));
    Duration wait = jittered(policy, attempts.size() + 1);
    if (attempts.size() >= policy.maxAttempts()
        || elapsed.plus(wait).compareTo(policy.budget()) > 0) {
      throw new RetriesExhaustedException(operation, attempts, failure);
    }
    Thread.sleep(wait);
  }

  /** Failures recorded so far. */
  int failures() {
    return attempts.size();
  }

  /** The backoff before attempt {@code next}, half fixed and half random so retries spread. */
  static Duration jittered(RetryPolicy policy, int next) {
    long millis = policy.backoff(next).toMillis();
    return Duration.ofMillis(millis / 2 + ThreadLocalRandom.current().nextLong(millis / 2 + 1));
  }
}
