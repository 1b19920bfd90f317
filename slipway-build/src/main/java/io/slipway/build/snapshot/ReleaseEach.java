package io.slipway.build.snapshot;

import java.io.IOException;

/**
 * Lets go of several things (tree leases, overlay views) where one failing must not keep the
 * others held: every release is tried, then the first failure is thrown with the later ones
 * suppressed on it. Stateless, so safe for concurrent use.
 */
public final class ReleaseEach {

  /** Releases one item. */
  @FunctionalInterface
  public interface Release<T> {
    void release(T item) throws IOException;
  }

  private ReleaseEach() {}

  /** Runs {@code release} on every item of {@code items}, in order, whatever fails. */
  public static <T> void of(Iterable<? extends T> items, Release<? super T> release)
      throws IOException {
    IOException failure = null;
    for (T item : items) {
      try {
        release.release(item);
      } catch (IOException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
