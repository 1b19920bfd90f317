package io.slipway.registry;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Every test of {@link TagHistoryTest} again with token auth on: each event records the
 * authenticated user instead of {@code anonymous}.
 */
class TagHistoryWithAuthTest extends TagHistoryTest {

  @BeforeAll
  static void authOn() {
    TestRegistry.withAuth = true;
  }

  @AfterAll
  static void authOff() {
    TestRegistry.withAuth = false;
  }
}
