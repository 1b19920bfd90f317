package io.slipway.registry.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LoginRateLimiterTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final LoginRateLimiter limiter = new LoginRateLimiter(3, Duration.ofSeconds(60), clock);

  @Test
  void refusesAddressWhenFailuresReachTheLimit() {
    for (int i = 0; i < 3; i++) {
      assertThat(limiter.retryAfter("10.0.0.1")).isEmpty();
      limiter.recordFailure("10.0.0.1");
    }
    clock.advance(Duration.ofMillis(10_500));

    assertThat(limiter.retryAfter("10.0.0.1")).contains(Duration.ofSeconds(50));
    assertThat(limiter.retryAfter("10.0.0.2")).isEmpty();
  }

  @Test
  void allowsAgainWhenWindowHasPassed() {
    for (int i = 0; i < 3; i++) {
      limiter.recordFailure("10.0.0.1");
    }
    clock.advance(Duration.ofSeconds(60));

    assertThat(limiter.retryAfter("10.0.0.1")).isEmpty();
  }

  @Test
  void forgetsFailuresWhenLoginSucceeds() {
    limiter.recordFailure("10.0.0.1");
    limiter.recordFailure("10.0.0.1");
    limiter.recordSuccess("10.0.0.1");
    limiter.recordFailure("10.0.0.1");

    assertThat(limiter.retryAfter("10.0.0.1")).isEmpty();
  }
}
