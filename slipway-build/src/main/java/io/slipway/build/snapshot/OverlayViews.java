package io.slipway.build.snapshot;

import io.slipway.oci.Digest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The read-only overlay mounts ("views") of chains that readers (COPY sources, file operations,
 * exporters) use, with a lifetime: each reader holds a {@link TreeLease}, a view stays mounted
 * while any lease on it is open, and views nobody uses are kept for reuse only up to
 * {@link #MAX_IDLE}, least recently used unmounted first. A long-lived engine therefore holds at
 * most its readers' views plus {@link #MAX_IDLE} mounts, instead of one per chain it ever read.
 *
 * <p>Safe for concurrent use. Counts and maps change under one lock that is never held while
 * mounting or unmounting; two readers that want a view nobody has mounted yet may both mount
 * it, and the second unmounts its own and shares the first (rare, and cheaper than making every
 * reader wait behind a lock). Each mount gets a directory of its own, so unmounting one view can
 * never take down a newer mount of the same chain.
 */
final class OverlayViews {

  /** How many unused views stay mounted for the next reader of the same chain. */
  static final int MAX_IDLE = 16;

  /** What to stack for a chain: its layer directories, topmost first. */
  @FunctionalInterface
  interface Stack {
    List<Path> layers() throws IOException, InterruptedException;
  }

  private final Path directory;
  private final Object lock = new Object();
  /** Guarded by {@link #lock}: the view readers get for each chain id. */
  private final Map<Digest, View> current = new HashMap<>();
  /** Guarded by {@link #lock}: unused views, least recently released first. */
  private final LinkedHashMap<Digest, View> idle = new LinkedHashMap<>();
  private final AtomicLong names = new AtomicLong();

  /** Views live in {@code directory}, which the owner removes (with its mounts) on close. */
  OverlayViews(Path directory) {
    this.directory = directory;
  }

  /** One mount of one chain; {@code users} and {@code retired} are guarded by the lock. */
  private static final class View {
    final Digest id;
    final Path mount;
    final List<Path> stack;
    int users;
    boolean retired;

    View(Digest id, Path mount, List<Path> stack) {
      this.id = id;
      this.mount = mount;
      this.stack = stack;
    }

    /** False once prune has removed one of its layer directories: the mount is then stale. */
    boolean intact() {
      return stack.stream().allMatch(Files::isDirectory);
    }
  }

  /** A lease on the view of chain {@code id}, mounting {@code stack} when none is mounted. */
  TreeLease acquire(Digest id, Stack stack) throws IOException, InterruptedException {
    View stale = null;
    View known;
    synchronized (lock) {
      known = current.get(id);
    }
    if (known != null) {
      // Checked outside the lock: it looks at every layer directory of the stack.
      boolean intact = known.intact();
      synchronized (lock) {
        if (current.get(id) == known) {
          if (intact) {
            return lease(known);
          }
          // Prune removed a layer under it while no build ran: it must not serve again.
          stale = retire(known);
        }
      }
    }
    unmount(stale);
    List<Path> layers = stack.layers();
    Path mount = Files.createDirectories(
        directory.resolve(id.encoded() + "-" + names.incrementAndGet()));
    try {
      OverlayMount.mount(layers, null, null, mount);
    } catch (IOException | InterruptedException | RuntimeException e) {
      Files.deleteIfExists(mount);
      throw e;
    }
    View mine = new View(id, mount, List.copyOf(layers));
    View twin;
    TreeLease lease;
    synchronized (lock) {
      twin = current.get(id);
      if (twin != null) {
        // Another reader mounted the chain meanwhile; share its mount, which is as fresh.
        lease = lease(twin);
      } else {
        current.put(id, mine);
        lease = lease(mine);
        mine = null;
      }
    }
    unmount(mine);
    return lease;
  }

  /** How many views are mounted now, in use or idle; for tests and metrics. */
  int mounted() {
    synchronized (lock) {
      return current.size();
    }
  }

  /** Forgets every view; the caller unmounts what is left under the directory. */
  void clear() {
    synchronized (lock) {
      current.clear();
      idle.clear();
    }
  }

  /** Takes one more user of {@code view}; call under the lock. */
  private TreeLease lease(View view) {
    view.users++;
    idle.remove(view.id);
    return TreeLease.of(view.mount, () -> release(view));
  }

  /**
   * Takes {@code view} out of service; call under the lock. Returns it when nobody uses it, so the
   * caller unmounts it outside the lock; otherwise its last user's release does.
   */
  private View retire(View view) {
    view.retired = true;
    if (current.get(view.id) == view) {
      current.remove(view.id);
    }
    idle.remove(view.id, view);
    return view.users == 0 ? view : null;
  }

  private void release(View view) throws IOException {
    List<View> unmount = new ArrayList<>();
    synchronized (lock) {
      view.users--;
      if (view.users > 0) {
        return;
      }
      if (view.retired) {
        unmount.add(view);
      } else {
        idle.put(view.id, view);
        Iterator<View> oldest = idle.values().iterator();
        while (idle.size() > MAX_IDLE) {
          View evicted = oldest.next();
          oldest.remove();
          evicted.retired = true;
          current.remove(evicted.id, evicted);
          unmount.add(evicted);
        }
      }
    }
    ReleaseEach.of(unmount, OverlayViews::unmount);
  }

  private static void unmount(View view) throws IOException {
    if (view == null) {
      return;
    }
    MountTable.unmount(view.mount);
    Files.deleteIfExists(view.mount);
  }
}
