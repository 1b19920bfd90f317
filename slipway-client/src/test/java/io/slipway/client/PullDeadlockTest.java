package io.slipway.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.client.auth.CredentialHelperException;
import io.slipway.client.auth.DockerCredentials;
import io.slipway.client.auth.HelperLaunch;
import io.slipway.client.auth.RegistryAuth;
import io.slipway.client.auth.TokenCache;
import io.slipway.client.auth.TokenFetchException;
import io.slipway.client.concurrent.SingleFlight;
import io.slipway.client.testing.FakeRegistry;
import io.slipway.client.testing.FakeTokenServer;
import io.slipway.client.testing.TestContent;
import io.slipway.client.testing.TestContent.Image;
import io.slipway.oci.Descriptor;
import io.slipway.store.blob.BlobStore;
import io.slipway.store.blob.FileBlobStore;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The auth-deadlock regression, end to end through pulls: a hung token endpoint or credential
 * helper for one repository or registry delays no other, and a cancelled pull leaves nothing
 * blocked.
 */
class PullDeadlockTest {
  @TempDir Path dir;

  private FakeTokenServer tokens;
  private FakeRegistry registry;
  private BlobStore store;
  private final List<Thread> fetchThreads = new CopyOnWriteArrayList<>();
  private TokenCache tokenCache;

  @BeforeEach
  void start() throws Exception {
    tokens = new FakeTokenServer();
    registry = new FakeRegistry().requireTokens(tokens);
    store = FileBlobStore.open(dir.resolve("store"));
    tokenCache = new TokenCache(Clock.systemUTC(), new SingleFlight<>(task -> {
      Thread thread = Thread.ofPlatform().daemon().name("token-fetch").unstarted(task);
      fetchThreads.add(thread);
      return thread;
    }));
  }

  @AfterEach
  void stop() throws Exception {
    registry.close();
    tokens.close();
    store.close();
  }

  private RegistryClient client(io.slipway.client.auth.CredentialSource credentials,
      Duration tokenTimeout) throws java.io.IOException {
    return RegistryClient.create(ClientSettings.defaults().withRetry(RetryPolicy.none()),
        credentials, new RegistryAuth.Settings(tokenTimeout, Duration.ofSeconds(1), "slipway-test"),
        tokenCache);
  }

  @Test
  void doesFinishTwentyPullsWhenTokenEndpointHangsForAnotherRepository() throws Exception {
    for (char c = 'a'; c <= 'u'; c++) {
      TestContent.serve(registry, String.valueOf(c), "v1", TestContent.image(c, "linux/amd64", 1000));
    }
    tokens.hangWhen(scope -> scope.contains("repository:a:"));
    try (RegistryClient client = client(io.slipway.client.auth.CredentialSource.anonymous(),
            Duration.ofSeconds(3));
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      long start = System.nanoTime();
      Future<Descriptor> pullA = pool.submit(() ->
          client.pull(Repository.of(registry.host(), "a"), "v1", store, null,
              TransferListener.none()));
      List<Future<Descriptor>> others = new ArrayList<>();
      for (char c = 'b'; c <= 'u'; c++) {
        String name = String.valueOf(c);
        others.add(pool.submit(() -> client.pull(Repository.of(registry.host(), name), "v1", store,
            null, TransferListener.none())));
      }
      for (Future<Descriptor> other : others) {
        assertThat(other.get(10, TimeUnit.SECONDS)).isNotNull();
      }
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
      assertThat(pullA.isDone()).isFalse();
      assertThatThrownBy(() -> pullA.get(10, TimeUnit.SECONDS))
          .hasCauseInstanceOf(TokenFetchException.class)
          .hasMessageContaining("token endpoint " + tokens.realm());
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(6));
    }
  }

  @Test
  void doesFailBoundedWhenCredentialHelperHangsAndOtherRegistriesPull() throws Exception {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path helper = bin.resolve("docker-credential-hang");
    Files.writeString(helper, "#!/bin/sh\nsleep 60\n");
    Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwxr-xr-x"));
    try (FakeRegistry stuck = new FakeRegistry().requireTokens(tokens)) {
      Path config = dir.resolve("config.json");
      Files.writeString(config, "{\"credHelpers\":{\"" + stuck.host() + "\":\"hang\"}}");
      DockerCredentials credentials =
          new DockerCredentials(config, null, new HelperLaunch(List.of(bin), System.getenv(),
              Path.of("").toAbsolutePath(), Duration.ofSeconds(1)));
      Image image = TestContent.image(1, "linux/amd64", 100);
      TestContent.serve(registry, "fine", "v1", image);
      TestContent.serve(stuck, "app", "v1", image);
      try (RegistryClient client = client(credentials, Duration.ofSeconds(5));
          ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
        long start = System.nanoTime();
        Future<Descriptor> hung = pool.submit(() -> client.pull(Repository.of(stuck.host(), "app"),
            "v1", store, null, TransferListener.none()));
        Descriptor fine = client.pull(Repository.of(registry.host(), "fine"), "v1", store, null,
            TransferListener.none());
        assertThat(fine.digest()).isEqualTo(image.manifest().digest());
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(900));
        assertThatThrownBy(() -> hung.get(5, TimeUnit.SECONDS))
            .hasCauseInstanceOf(CredentialHelperException.class)
            .hasMessageContaining("docker-credential-hang");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
      }
    }
  }

  @Test
  void doesLeaveNothingBlockedWhenPullIsCancelledDuringHungTokenFetch() throws Exception {
    Image image = TestContent.image(2, "linux/amd64", 100);
    TestContent.serve(registry, "a", "v1", image);
    tokens.hangWhen(scope -> scope.contains("repository:a:"));
    try (RegistryClient client = client(io.slipway.client.auth.CredentialSource.anonymous(),
        Duration.ofSeconds(60))) {
      Thread caller = Thread.ofPlatform().name("pull-a").start(() -> {
        try {
          client.pull(Repository.of(registry.host(), "a"), "v1", store, null,
              TransferListener.none());
        } catch (Exception e) {
          // Interrupted, as intended.
        }
      });
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (tokens.hanging() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(tokens.hanging()).isEqualTo(1);
      caller.interrupt();
      caller.join(2000);
      assertThat(caller.getState()).isEqualTo(Thread.State.TERMINATED);
      for (Thread fetch : fetchThreads) {
        fetch.join(2000);
        assertThat(fetch.getState()).as("abandoned token fetch thread").isEqualTo(Thread.State.TERMINATED);
      }
      assertThat(tokenCache.fetchesInFlight()).isZero();
      assertThat(ManagementFactory.getThreadMXBean().findDeadlockedThreads()).isNull();

      tokens.release();
      Descriptor pulled = client.pull(Repository.of(registry.host(), "a"), "v1", store, null,
          TransferListener.none());
      assertThat(pulled.digest()).isEqualTo(image.manifest().digest());
    }
  }
}
