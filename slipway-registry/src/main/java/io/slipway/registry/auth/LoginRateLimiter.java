package io.slipway.registry.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Limits failed logins per source address: after {@code maxFailures} failures within {@code
 * window}, that address is refused (429 with {@code Retry-After}) until the window since its first
 * counted failure has passed. A success clears the address. Counters live in a concurrent map and
 * are updated with atomic {@code compute} calls that do no I/O; stale entries are dropped as the
 * map grows, so an attacker cycling addresses cannot grow it without bound. Safe for concurrent
 * use.
 */
public final class LoginRateLimiter {
  /** Failures counted for one address since {@code since}. */
  private record Failures(Instant since, int count) {}

  private static final int SWEEP_THRESHOLD = 10_000;

  private final int maxFailures;
  private final Duration window;
  private final Clock clock;
  private final ConcurrentHashMap<String, Failures> failures = new ConcurrentHashMap<>();

  /**
   * A limiter allowing {@code maxFailures} failures per {@code window} per address.
   *
   * @throws IllegalArgumentException for a non-positive count or window
   */
  public LoginRateLimiter(int maxFailures, Duration window, Clock clock) {
    if (maxFailures <= 0 || window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("rate limit needs a positive count and window");
    }
    this.maxFailures = maxFailures;
    this.window = window;
    this.clock = clock;
  }

  /** Five failures a minute, the default of the registry configuration. */
  public static LoginRateLimiter defaults() {
    return new LoginRateLimiter(5, Duration.ofMinutes(1), Clock.systemUTC());
  }

  /** How long {@code address} must wait before trying again; empty when it may try now. */
  public Optional<Duration> retryAfter(String address) {
    Failures counted = failures.get(address);
    Instant now = clock.instant();
    if (counted == null || counted.count() < maxFailures) {
      return Optional.empty();
    }
    Instant until = counted.since().plus(window);
    if (!now.isBefore(until)) {
      failures.remove(address, counted);
      return Optional.empty();
    }
    Duration wait = Duration.between(now, until);
    // Retry-After is in whole seconds; never advertise 0 while still refusing.
    return Optional.of(wait.getNano() == 0 ? wait : Duration.ofSeconds(wait.getSeconds() + 1));
  }

  /** Counts a failed login from {@code address}. */
  public void recordFailure(String address) {
    Instant now = clock.instant();
    failures.compute(
        address,
        (key, counted) ->
            counted == null || !now.isBefore(counted.since().plus(window))
                ? new Failures(now, 1)
                : new Failures(counted.since(), counted.count() + 1));
    if (failures.size() > SWEEP_THRESHOLD) {
      failures.values().removeIf(counted -> !now.isBefore(counted.since().plus(window)));
    }
  }

  /** Forgets the failures of {@code address} after a successful login. */
  public void recordSuccess(String address) {
    failures.remove(address);
  }
}
