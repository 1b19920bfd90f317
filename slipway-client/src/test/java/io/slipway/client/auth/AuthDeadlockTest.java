package io.slipway.client.auth;

import io.slipway.oci.auth.Scope;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.client.concurrent.SingleFlight;
import io.slipway.client.testing.FakeTokenServer;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression tests for the auth-deadlock class: a hung token endpoint or credential helper for
 * one key must not delay any other key, and a caller that goes away must leave nothing blocked.
 */
class AuthDeadlockTest {
  private final FakeTokenServer server = start();
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<Thread> fetchThreads = new CopyOnWriteArrayList<>();
  private final ThreadFactory observed = task -> {
    Thread thread = Thread.ofPlatform().daemon().name("token-fetch").unstarted(task);
    fetchThreads.add(thread);
    return thread;
  };
  private final TokenCache tokens = new TokenCache(Clock.systemUTC(), new SingleFlight<>(observed));

  @TempDir Path dir;

  private static FakeTokenServer start() {
    try {
      return new FakeTokenServer();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private RegistryAuth auth(CredentialSource credentials, Duration tokenTimeout) {
    return new RegistryAuth(http, credentials,
        new RegistryAuth.Settings(tokenTimeout, Duration.ofSeconds(1), "slipway-test"),
        tokens, Clock.systemUTC());
  }

  private List<String> challenge() {
    return List.of("Bearer realm=\"" + server.realm() + "\",service=\"test\"");
  }

  @Test
  void doesServeTwentyOtherScopesWhenTokenEndpointHangsForOne() throws Exception {
    server.hangWhen(scope -> scope.contains("repository:a:"));
    RegistryAuth auth = auth(CredentialSource.anonymous(), Duration.ofSeconds(3));
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      long start = System.nanoTime();
      Future<String> hung = pool.submit(() ->
          auth.challenged("reg", ScopeSet.of(Scope.pull("a")), challenge(), null).orElseThrow());
      List<Future<String>> others = new ArrayList<>();
      for (char c = 'b'; c <= 'u'; c++) {
        String repository = String.valueOf(c);
        others.add(pool.submit(() -> auth.challenged("reg", ScopeSet.of(Scope.pull(repository)),
            challenge(), null).orElseThrow()));
      }
      for (Future<String> other : others) {
        assertThat(other.get(2, TimeUnit.SECONDS)).startsWith("Bearer ");
      }
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
      assertThat(hung.isDone()).as("scope A still waiting on its hung endpoint").isFalse();
      assertThatThrownBy(() -> hung.get(6, TimeUnit.SECONDS))
          .hasCauseInstanceOf(TokenFetchException.class)
          .hasMessageContaining("token endpoint " + server.realm())
          .hasMessageContaining("did not answer within PT3S");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(6));
    }
  }

  @Test
  void doesFailBoundedWhenCredentialHelperNeverAnswersAndOtherRegistriesProceed() throws Exception {
    DockerCredentialsTest.helper(dir.resolve("bin"), "hang", "sleep 60");
    Path config = dir.resolve("config.json");
    Files.writeString(config, "{\"credHelpers\":{\"stuck.example\":\"hang\"}}");
    DockerCredentials credentials =
        new DockerCredentials(config, null,
            DockerCredentialsTest.launch(List.of(dir.resolve("bin")), Duration.ofSeconds(1)));
    RegistryAuth auth = auth(credentials, Duration.ofSeconds(3));
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      long start = System.nanoTime();
      Future<String> stuck = pool.submit(() ->
          auth.challenged("stuck.example", ScopeSet.of(Scope.pull("a")), challenge(), null)
              .orElseThrow());
      List<Future<String>> others = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        String registry = "fine" + i + ".example";
        others.add(pool.submit(() -> auth.challenged(registry, ScopeSet.of(Scope.pull("a")),
            challenge(), null).orElseThrow()));
      }
      for (Future<String> other : others) {
        assertThat(other.get(2, TimeUnit.SECONDS)).startsWith("Bearer ");
      }
      assertThatThrownBy(() -> stuck.get(5, TimeUnit.SECONDS))
          .hasCauseInstanceOf(CredentialHelperException.class)
          .hasMessageContaining("docker-credential-hang")
          .hasMessageContaining("did not finish within PT1S");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }
  }

  @Test
  void doesLeaveNothingBlockedWhenCallerIsCancelledDuringHungFetch() throws Exception {
    server.hangWhen(scope -> scope.contains("repository:a:"));
    RegistryAuth auth = auth(CredentialSource.anonymous(), Duration.ofSeconds(30));
    Thread caller = Thread.ofPlatform().name("pull-a").start(() -> {
      try {
        auth.challenged("reg", ScopeSet.of(Scope.pull("a")), challenge(), null);
      } catch (Exception e) {
        // The interrupt surfaces here; the test only cares that the thread ends.
      }
    });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (server.hanging() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(server.hanging()).as("fetch reached the hung endpoint").isEqualTo(1);
    caller.interrupt();
    caller.join(2000);
    assertThat(caller.getState()).as("cancelled caller").isEqualTo(Thread.State.TERMINATED);
    for (Thread fetch : fetchThreads) {
      fetch.join(2000);
      assertThat(fetch.getState()).as("abandoned token fetch").isEqualTo(Thread.State.TERMINATED);
    }
    assertThat(tokens.fetchesInFlight()).isZero();
    server.release();
    assertThat(auth.challenged("reg", ScopeSet.of(Scope.pull("a")), challenge(), null))
        .hasValueSatisfying(header -> assertThat(header).startsWith("Bearer "));
  }
}
