package io.slipway.registry;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Every test of {@link ManifestApiTest} again, against a registry with token auth on and a client that
 * authenticates as a user with full access: the spec behaviour must not change.
 */
class ManifestApiWithAuthTest extends ManifestApiTest {

  @BeforeAll
  static void authOn() {
    TestRegistry.withAuth = true;
  }

  @AfterAll
  static void authOff() {
    TestRegistry.withAuth = false;
  }
}
