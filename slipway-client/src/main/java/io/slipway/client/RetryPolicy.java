package io.slipway.client;

import java.time.Duration;
import java.util.Objects;

/**
 * How transient failures are retried: exponential backoff from {@code initialBackoff}, doubling up
 * to {@code maxBackoff}, with full jitter, until {@code budget} has passed since the first attempt
 * or {@code maxAttempts} attempts were made. {@code notFoundWindow} is how long a 404 for content
 * that was just pushed counts as transient. Immutable.
 */
public record RetryPolicy(
    Duration initialBackoff, Duration maxBackoff, Duration budget, int maxAttempts,
    Duration notFoundWindow) {

  public RetryPolicy {
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    Objects.requireNonNull(budget, "budget");
    Objects.requireNonNull(notFoundWindow, "notFoundWindow");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
  }

  /** 200 ms doubling to 10 s, at most 8 attempts within 2 minutes; 404s transient for 10 s. */
  public static RetryPolicy defaults() {
    return new RetryPolicy(Duration.ofMillis(200), Duration.ofSeconds(10), Duration.ofMinutes(2), 8,
        Duration.ofSeconds(10));
  }

  /** One attempt only. */
  public static RetryPolicy none() {
    return new RetryPolicy(Duration.ZERO, Duration.ZERO, Duration.ZERO, 1, Duration.ZERO);
  }

  /** The backoff before attempt {@code next} (2 for the first retry), before jitter. */
  Duration backoff(int next) {
    long millis = initialBackoff.toMillis();
    for (int i = 2; i < next && millis < maxBackoff.toMillis(); i++) {
      millis *= 2;
    }
    return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
  }
}
