package io.slipway.build.solver;

import io.slipway.build.cache.BuildCache;
import io.slipway.build.cache.BuildLease;
import io.slipway.build.cache.CacheRecord;
import io.slipway.oci.Digest;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The cache records of one build's computed steps on their way into the {@link BuildCache}:
 * committed on a background thread, so that the next step does not wait for the database's commit
 * (an fsync of its log), and records that wait together go in one transaction. A record is only
 * submitted once every blob it names is durable, and each commit is all or nothing, so a crash
 * loses at most records (the steps are computed again), never leaves half of one.
 *
 * <p>The build's result waits for every record ({@link #flush}); a failed commit is reported to
 * the failure handler given at creation at once, which fails the build. Until committed, a record
 * is in the solver-wide {@code uncommitted} map, so that another build of the same solver finds
 * it instead of computing the step again; that build then waits for the commit too ({@link
 * #awaitAlso}) and fails with it. After {@link #close} a record is committed on the submitting
 * thread (a step shared with another build may finish after this build ended), and that thread
 * gets the failure of its own commit.
 *
 * <p>Safe for concurrent use.
 */
final class PendingRecords implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(PendingRecords.class.getName());

  /** A step's record whose commit is pending; {@code committed} completes with the commit. */
  record Pending(CacheRecord record, CompletableFuture<Void> committed) {

    /** A record read from the cache: committed already. */
    static Pending committed(CacheRecord record) {
      return new Pending(record, CompletableFuture.completedFuture(null));
    }
  }

  private record Queued(BuildCache.NewRecord record, Pending pending) { }

  private final BuildCache cache;
  private final BuildLease lease;
  private final Map<Digest, Pending> uncommitted;
  private final Consumer<IOException> onFailure;
  private final ConcurrentLinkedQueue<Queued> queue = new ConcurrentLinkedQueue<>();
  /** Other builds' pending commits of records this build used. */
  private final List<CompletableFuture<Void>> borrowed = new CopyOnWriteArrayList<>();
  // One thread: commits are serial in SQLite anyway, and one committer is what lets records that
  // arrive while a commit runs share the next one. A platform thread, because the commit's fsync
  // happens inside sqlite's native code, which would hold one of the few carriers of the virtual
  // threads the steps run on for its whole duration.
  private final ExecutorService committer = Executors.newSingleThreadExecutor(
      Thread.ofPlatform().daemon().name("slipway-records").factory());
  private volatile IOException failure;

  /**
   * Records into {@code cache}, held by {@code lease}, keeping records not yet committed in
   * {@code uncommitted}, and handing a failed commit to {@code onFailure}.
   */
  PendingRecords(BuildCache cache, BuildLease lease, Map<Digest, Pending> uncommitted,
      Consumer<IOException> onFailure) {
    this.cache = cache;
    this.lease = lease;
    this.uncommitted = uncommitted;
    this.onFailure = onFailure;
  }

  /**
   * Queues {@code record}, whose blobs must all be durable already, for the next commit.
   *
   * @return the pending record, whose future completes with its commit
   * @throws IOException when this build has ended and the commit, made on this thread, failed
   */
  Pending submit(BuildCache.NewRecord record) throws IOException {
    Pending pending = new Pending(record.record(), new CompletableFuture<>());
    uncommitted.put(record.key(), pending);
    queue.add(new Queued(record, pending));
    try {
      committer.execute(this::commitQueued);
    } catch (RejectedExecutionException closed) {
      // The build has ended; whoever still computes a step of it commits its record in place.
      commitQueued();
      if (pending.committed().isCompletedExceptionally()) {
        // Only ever completed with the IOException of its own batch's commit.
        throw (IOException) pending.committed().exceptionNow();
      }
    }
    return pending;
  }

  /**
   * Makes {@link #flush} wait for {@code pending}'s commit too (a record another build computed
   * and this one uses), and fail when it fails.
   */
  void awaitAlso(Pending pending) {
    if (!pending.committed().isDone() || pending.committed().isCompletedExceptionally()) {
      borrowed.add(pending.committed());
    }
  }

  /**
   * Waits until every record submitted so far, and every other build's record this build used,
   * is committed.
   *
   * @throws IOException the first commit that failed
   */
  void flush() throws IOException, InterruptedException {
    try {
      committer.submit(() -> { }).get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("the record committer failed", e.getCause());
    } catch (RejectedExecutionException closed) {
      // Closed: every submitted record was committed on its way out.
    }
    if (failure != null) {
      throw failure;
    }
    for (CompletableFuture<Void> commit : borrowed) {
      try {
        commit.get();
      } catch (ExecutionException e) {
        throw new IOException("a step this build shares with another build could not be recorded: "
            + e.getCause().getMessage(), e.getCause());
      }
    }
  }

  /**
   * Commits what is queued and stops the committer, waiting up to {@code timeout} even when the
   * calling thread is interrupted (a cancelled build keeps the records of the steps it finished);
   * the interrupt is kept.
   */
  void close(Duration timeout) {
    committer.shutdown();
    boolean interrupted = Thread.interrupted();
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (true) {
        try {
          if (!committer.awaitTermination(Math.max(0, deadline - System.nanoTime()),
              TimeUnit.NANOSECONDS)) {
            LOG.log(System.Logger.Level.WARNING, "cache records of the ended build still being"
                + " committed after " + timeout + "; they are committed in the background");
          }
          return;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(30));
  }

  private void commitQueued() {
    List<Queued> batch = new ArrayList<>();
    for (Queued next = queue.poll(); next != null; next = queue.poll()) {
      batch.add(next);
    }
    if (batch.isEmpty()) {
      return;
    }
    IOException reported = null;
    try {
      cache.recordAll(batch.stream().map(Queued::record).toList(), lease);
    } catch (IOException | RuntimeException e) {
      reported = e instanceof IOException io ? io
          : new IOException("cannot record the build cache: " + e.getMessage(), e);
      if (committer.isShutdown()) {
        // The build has ended, so its failure handler reaches no one: the submitting step gets
        // this failure, and the log keeps it.
        LOG.log(System.Logger.Level.WARNING, "cannot record the build cache: " + e.getMessage());
      } else {
        synchronized (this) {
          if (failure == null) {
            failure = reported;
          } else {
            failure.addSuppressed(reported);
          }
        }
        onFailure.accept(reported);
      }
    } finally {
      for (Queued queued : batch) {
        uncommitted.remove(queued.record().key(), queued.pending());
        if (reported == null) {
          queued.pending().committed().complete(null);
        } else {
          queued.pending().committed().completeExceptionally(reported);
        }
      }
    }
  }
}
