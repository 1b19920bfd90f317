package io.slipway.client.auth;

import io.slipway.client.concurrent.SingleFlight;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Bearer tokens by (registry, service, scope set), fetched at most once at a time per key.
 *
 * <p>A fresh token (younger than 90% of its lifetime) is returned from memory. Otherwise one
 * caller's fetch runs and every concurrent caller for the same key waits for it through a {@link
 * SingleFlight}; callers for other keys are never delayed, because no lock is held while fetching.
 * A caller stops waiting when its own timeout passes or its thread is interrupted, and a fetch that
 * nobody waits for any more is cancelled. Stale tokens are kept so their refresh token can be used.
 * Safe for concurrent use.
 */
public final class TokenCache {

  /** What a token is good for: the registry it was asked for, the token service and the scopes. */
  public record Key(String registry, String service, ScopeSet scopes) {
    public Key {
      Objects.requireNonNull(registry, "registry");
      Objects.requireNonNull(scopes, "scopes");
      service = service == null ? "" : service;
    }
  }

  /** Fetches a new token, given the stale one (or null). */
  @FunctionalInterface
  public interface Fetch {
    Token fetch(Token previous) throws IOException, InterruptedException;
  }

  private final ConcurrentHashMap<Key, Token> tokens = new ConcurrentHashMap<>();
  private final SingleFlight<Key, Token> flights;
  private final Clock clock;

  public TokenCache(Clock clock) {
    this(clock, new SingleFlight<>());
  }

  /** A cache whose fetches run in {@code flights}; tests pass one with observable threads. */
  public TokenCache(Clock clock, SingleFlight<Key, Token> flights) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.flights = Objects.requireNonNull(flights, "flights");
  }

  /**
   * Returns a fresh token for {@code key}, fetching it if needed.
   *
   * @param endpoint the token endpoint, named in errors
   * @param timeout how long this caller waits
   * @throws TokenFetchException when the fetch failed or took longer than {@code timeout}
   * @throws InterruptedException when this caller was interrupted; the fetch goes on only if
   *     someone else waits for it
   */
  public Token get(Key key, URI endpoint, Fetch fetch, Duration timeout)
      throws IOException, InterruptedException {
    Token cached = tokens.get(key);
    if (cached != null && cached.isFresh(clock.instant())) {
      return cached;
    }
    try {
      return flights.await(key, () -> {
        // Another flight may have stored a token between our look-up and this flight starting.
        Token current = tokens.get(key);
        if (current != null && current.isFresh(clock.instant())) {
          return current;
        }
        Token fetched = fetch.fetch(current);
        tokens.put(key, fetched);
        return fetched;
      }, timeout);
    } catch (TimeoutException e) {
      throw new TokenFetchException(endpoint, 0,
          "no token for " + key.scopes() + " within " + timeout
              + "; the endpoint is slow or not answering");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new TokenFetchException(endpoint, "token fetch failed: " + cause, cause);
    }
  }

  /** Forgets {@code rejected} for {@code key} after the registry refused it. */
  public void invalidate(Key key, String rejected) {
    tokens.computeIfPresent(key, (k, token) -> token.value().equals(rejected) ? null : token);
  }

  /** Fetches currently running; zero when nothing is in flight. */
  public int fetchesInFlight() {
    return flights.inFlight();
  }
}
