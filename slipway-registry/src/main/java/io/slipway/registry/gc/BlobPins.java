package io.slipway.registry.gc;

import io.slipway.oci.Digest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * The digests that pushes in flight are touching, so garbage collection never deletes what a
 * push is about to point at: the classic race in which GC marks, a push links an "unreferenced"
 * blob or indexes a manifest whose bytes it just wrote, and the sweep then deletes it.
 *
 * <p>A push {@linkplain #pin pins} every digest it will reference before it checks for or writes
 * the content, and closes the pin once the metadata pointing at it is committed. The collector
 * {@linkplain #tryCondemn condemns} one digest at a time before deleting it: condemning fails on a
 * pinned digest, and pinning a condemned one waits until the collector has re-checked the metadata
 * and deleted (or spared) it, which takes one transaction and one unlink. Per-digest state in a
 * concurrent map, no lock held across I/O, and neither side waits on a client.
 *
 * <p>Safe for concurrent use.
 */
public final class BlobPins {
  private static final int CONDEMNED = -1;

  private final ConcurrentHashMap<Digest, Integer> states = new ConcurrentHashMap<>();

  /** Held by one push; closing it releases every digest it pinned. Not for concurrent use. */
  public final class Pin implements AutoCloseable {
    private final List<Digest> digests;
    private boolean closed;

    private Pin(List<Digest> digests) {
      this.digests = digests;
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      for (Digest digest : digests) {
        unpin(digest);
      }
    }
  }

  /** Pins {@code digests}, waiting for the collector to finish with any it has condemned. */
  public Pin pin(Collection<Digest> digests) {
    List<Digest> pinned = new ArrayList<>();
    for (Digest digest : new LinkedHashSet<>(digests)) {
      long backoff = 10_000;
      while (states.compute(digest, (key, count) -> count == null ? 1
              : count == CONDEMNED ? CONDEMNED : count + 1)
          == CONDEMNED) {
        LockSupport.parkNanos(backoff);
        backoff = Math.min(backoff * 2, 1_000_000);
      }
      pinned.add(digest);
    }
    return new Pin(List.copyOf(pinned));
  }

  /** Pins one digest; see {@link #pin(Collection)}. */
  public Pin pin(Digest digest) {
    return pin(List.of(digest));
  }

  private void unpin(Digest digest) {
    states.computeIfPresent(digest, (key, count) -> count <= 1 ? null : count - 1);
  }

  /** True while a push holds {@code digest}. */
  public boolean isPinned(Digest digest) {
    Integer count = states.get(digest);
    return count != null && count > 0;
  }

  /**
   * Claims {@code digest} for deletion: false when a push holds it. Until {@link #acquit}, pushes
   * wanting it wait, so the caller must re-check the metadata and finish quickly.
   */
  public boolean tryCondemn(Digest digest) {
    return states.putIfAbsent(digest, CONDEMNED) == null;
  }

  /** Ends a condemnation, whether or not the digest was deleted. */
  public void acquit(Digest digest) {
    states.remove(digest, CONDEMNED);
  }
}
