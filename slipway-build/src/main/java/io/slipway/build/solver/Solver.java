package io.slipway.build.solver;

import io.slipway.build.cache.BuildCache;
import io.slipway.build.cache.BuildLease;
import io.slipway.build.cache.CacheRecord;
import io.slipway.build.cache.LayerRef;
import io.slipway.build.fileop.FileOpRunner;
import io.slipway.build.fileop.LayeredView;
import io.slipway.build.fileop.SourceTree;
import io.slipway.build.graph.BuildGraph;
import io.slipway.build.graph.FileAction;
import io.slipway.build.graph.Operation;
import io.slipway.build.graph.Vertex;
import io.slipway.build.snapshot.ReleaseEach;
import io.slipway.build.snapshot.Snapshotter;
import io.slipway.build.snapshot.TreeLease;
import io.slipway.build.snapshot.Trees;
import io.slipway.client.concurrent.SingleFlight;
import io.slipway.client.concurrent.TaskFailures;
import io.slipway.oci.Descriptor;
import io.slipway.oci.Digest;
import io.slipway.oci.DigestAlgorithm;
import io.slipway.store.blob.BlobStore;
import io.slipway.store.blob.BlobWriter;
import io.slipway.store.layer.ChangeSet;
import io.slipway.store.layer.LayerDigests;
import io.slipway.store.layer.LayerWriteOptions;
import io.slipway.store.layer.LayerWriter;
import io.slipway.store.layer.RecordedTree;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Executes build graphs. Every vertex runs on its own virtual thread as soon as its inputs are
 * solved, so independent stages and inputs proceed at once; heavy work (file operations, RUN,
 * downloads) additionally takes one of a fixed number of permits, acquired only once the inputs
 * are ready so a waiting step never holds one.
 *
 * <p>Each vertex has a cache key: its definition (the vertex digest), its inputs' cache keys, the
 * content checksum of the context files it selects or the bytes of the URL it downloads, and the
 * layer settings when it writes a layer. A key found in the {@link BuildCache} is reused without
 * recomputation or recompression. Concurrent builds sharing one solver compute an identical step
 * once (single-flight per cache key); a build that is cancelled stops its threads, and a step
 * whose every waiter left is interrupted. A result is recorded only after its blobs are durable,
 * so cancellation leaves nothing half-recorded. Records are committed off the steps' path
 * ({@link PendingRecords}); {@link #solve} returns only once its build's records are committed,
 * and a record that cannot be committed fails the build.
 *
 * <p>Safe for concurrent use; one instance is meant to serve every build of a process. Steps hold
 * no lock: the only shared state is the cache, the snapshotter and the single-flight map.
 */
public final class Solver {

  private static final Duration FLIGHT_WAIT = Duration.ofDays(1);
  /** How long a cancelled build waits for its steps to clean up (runc allows 10 s to exit). */
  private static final Duration CANCEL_WAIT = Duration.ofSeconds(30);

  private final BuildCache cache;
  private final Snapshotter snapshots;
  private final BlobStore blobs;
  private final Executor executor;
  private final Semaphore heavy;
  /** Steps computing now, each on a single-flight thread of its own (see {@link #awaitIdle}). */
  private final Set<Thread> computing = ConcurrentHashMap.newKeySet();
  private final SingleFlight<Digest, PendingRecords.Pending> flights =
      new SingleFlight<>(runnable -> {
        Thread thread = Thread.ofVirtual().name("solver-step").unstarted(() -> {
          try {
            runnable.run();
          } finally {
            computing.remove(Thread.currentThread());
          }
        });
        computing.add(thread);
        return thread;
      });
  private final AtomicLong executions = new AtomicLong();
  /** Records computed by a build and not yet committed by it, for the other builds to find. */
  private final Map<Digest, PendingRecords.Pending> uncommitted = new ConcurrentHashMap<>();
  /** Per layer settings, the layer of a step that changed nothing; see {@link #layerOf}. */
  private final Map<LayerWriteOptions, LayerRef> emptyLayers = new ConcurrentHashMap<>();
  private final HttpSource http = new HttpSource();

  /**
   * A solver recording into {@code cache}, unpacking with {@code snapshots}, running RUN steps with
   * {@code executor}, and running at most {@code heavyOperations} heavy steps at once.
   */
  public Solver(BuildCache cache, Snapshotter snapshots, Executor executor, int heavyOperations) {
    if (heavyOperations < 1) {
      throw new IllegalArgumentException("heavyOperations must be at least 1");
    }
    this.cache = cache;
    this.snapshots = snapshots;
    this.blobs = cache.blobs();
    this.executor = executor;
    this.heavy = new Semaphore(heavyOperations, true);
  }

  /**
   * Waits, up to {@code timeout}, until no step of any build of this solver is computing; true
   * when none is. A cancelled build's steps run on single-flight threads that outlive its waiters
   * while they clean up (a RUN step kills its container and removes its mounts), so a process
   * that stops after cancelling its builds calls this before it exits.
   */
  public boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Thread thread : List.copyOf(computing)) {
      long left = deadline - System.nanoTime();
      if (left <= 0 || !thread.join(Duration.ofNanos(left))) {
        return computing.isEmpty();
      }
    }
    return computing.isEmpty();
  }

  /** The cache this solver records into. */
  public BuildCache cache() {
    return cache;
  }

  /** The snapshotter this solver unpacks with. */
  public Snapshotter snapshots() {
    return snapshots;
  }

  /** The content store layers are written to. */
  public BlobStore blobs() {
    return blobs;
  }

  /** How many steps this solver has computed (not taken from the cache); for tests and metrics. */
  public long executions() {
    return executions.get();
  }

  /**
   * Solves every vertex of {@code graph}. On the first failure the remaining work is cancelled
   * and the failure is thrown; an interrupt of the calling thread cancels the build the same way.
   */
  public Solution solve(BuildGraph graph, SolveRequest request, PinnedImages images,
      SolveListener listener) throws IOException, InterruptedException {
    return solve(graph, request, images, listener, BuildLease.none());
  }

  /**
   * Solves {@code graph} as {@link #solve(BuildGraph, SolveRequest, PinnedImages, SolveListener)}
   * does, holding every cache record the build uses in {@code lease} so prune leaves it alone
   * until the lease is closed.
   */
  public Solution solve(BuildGraph graph, SolveRequest request, PinnedImages images,
      SolveListener listener, BuildLease lease) throws IOException, InterruptedException {
    ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    Map<Digest, CompletableFuture<SolvedVertex>> futures = new LinkedHashMap<>();
    CompletableFuture<Void> failure = new CompletableFuture<>();
    ContextChecksum context =
        ContextChecksum.open(request.contextDirectory(), Optional.of(cache.fileDigests()));
    // A record that cannot be committed fails the build at once, like a failed step.
    PendingRecords records =
        new PendingRecords(cache, lease, uncommitted, failure::completeExceptionally);
    try (context) {
      listener.planned(graph.vertices());
      for (Vertex vertex : graph.vertices()) {
        List<CompletableFuture<SolvedVertex>> inputs = new ArrayList<>();
        for (Vertex input : vertex.inputs()) {
          inputs.add(futures.get(input.digest()));
        }
        CompletableFuture<SolvedVertex> future =
            CompletableFuture.allOf(inputs.toArray(CompletableFuture[]::new))
                .thenApplyAsync(ignored -> {
                  List<SolvedVertex> solvedInputs = inputs.stream().map(CompletableFuture::join)
                      .toList();
                  return solveVertex(vertex, solvedInputs, request, context, images, listener,
                      lease, records);
                }, threads);
        future.whenComplete((result, error) -> {
          if (error != null) {
            failure.completeExceptionally(error);
          }
        });
        futures.put(vertex.digest(), future);
      }
      CompletableFuture<Void> all =
          CompletableFuture.allOf(futures.values().toArray(CompletableFuture[]::new));
      try {
        CompletableFuture.anyOf(all, failure).get();
      } catch (ExecutionException e) {
        throw TaskFailures.unwrap(e.getCause());
      }
      // The result names these steps' layers, so their records are part of it.
      records.flush();
      Map<Digest, SolvedVertex> solved = new HashMap<>();
      futures.forEach((digest, future) -> solved.put(digest, future.join()));
      return new Solution(graph, solved, images);
    } finally {
      // Interrupts whatever still runs (a failure elsewhere, or this thread was interrupted).
      threads.shutdownNow();
      awaitCancelled(threads);
      // Steps that finished keep their records, also when the build failed or was cancelled.
      records.close(CANCEL_WAIT);
    }
  }

  /**
   * Waits, bounded, for interrupted steps to finish cleaning up (a RUN step kills its container
   * and removes its mounts), so a cancelled build returns only once nothing of it still runs and a
   * process exiting after it leaves no container behind. The caller's interrupt is kept.
   */
  private static void awaitCancelled(ExecutorService threads) {
    boolean interrupted = Thread.interrupted();
    long deadline = System.nanoTime() + CANCEL_WAIT.toNanos();
    try {
      boolean done = false;
      while (!done) {
        try {
          // False past the deadline: stop waiting; steps still running are left to the sweep.
          threads.awaitTermination(Math.max(0, deadline - System.nanoTime()),
              TimeUnit.NANOSECONDS);
          done = true;
        } catch (InterruptedException e) {
          // Interrupted again while waiting: note it and keep waiting, bounded by the deadline.
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private SolvedVertex solveVertex(Vertex vertex, List<SolvedVertex> inputs, SolveRequest request,
      ContextChecksum context, PinnedImages images, SolveListener listener, BuildLease lease,
      PendingRecords records) {
    long start = System.nanoTime();
    listener.started(vertex);
    try {
      SolvedVertex result =
          solveChecked(vertex, inputs, request, context, images, lease, records);
      listener.finished(result, Duration.ofNanos(System.nanoTime() - start));
      return result;
    } catch (IOException e) {
      listener.failed(vertex, e);
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      listener.failed(vertex, e);
      throw new CompletionException(e);
    } catch (RuntimeException e) {
      listener.failed(vertex, e);
      throw e;
    }
  }

  private SolvedVertex solveChecked(Vertex vertex, List<SolvedVertex> inputs,
      SolveRequest request, ContextChecksum context, PinnedImages images, BuildLease lease,
      PendingRecords records) throws IOException, InterruptedException {
    Operation operation = vertex.operation();
    switch (operation) {
      case Operation.Scratch s -> {
        return new SolvedVertex(vertex, key(vertex, inputs, "", Optional.empty()),
            new CacheRecord("scratch", List.of(), Optional.empty()), true);
      }
      case Operation.Local local -> {
        Digest checksum = context.of(local);
        return new SolvedVertex(vertex,
            key(vertex, inputs, checksum.toString(), Optional.empty()),
            new CacheRecord("local", List.of(), Optional.empty()), true);
      }
      case Operation.Git git -> throw new SolveException(vertex,
          "ADD of a git repository (" + git.remote() + ") is not supported yet; clone it into the"
              + " build context and COPY it");
      case Operation.Merge m -> {
        List<LayerRef> chain = new ArrayList<>();
        for (SolvedVertex input : inputs) {
          chain.addAll(input.record().chain());
        }
        boolean cached = inputs.stream().allMatch(SolvedVertex::cached);
        return new SolvedVertex(vertex, key(vertex, inputs, "", Optional.empty()),
            new CacheRecord("merge", chain, Optional.empty()), cached);
      }
      case Operation.Image image -> {
        Digest key = key(vertex, inputs, "", Optional.empty());
        return cachedOrComputed(vertex, key, request, lease, records, () -> {
          BaseImage base = images.image(image.reference(), image.platform());
          return new CacheRecord("image", base.layers(), Optional.of(base.config()));
        });
      }
      case Operation.Http download -> {
        HttpSource.Download fetched = acquireHeavy(() -> http.fetch(vertex, download,
            snapshots.temporaryDirectory()));
        try {
          Digest key = key(vertex, inputs, fetched.content().toString(),
              Optional.of(request.layerOptions()));
          return cachedOrComputed(vertex, key, request, lease, records, () -> acquireHeavy(() -> {
            LayerRef layer = writeLayer(ChangeSet.of(fetched.tree()), request.layerOptions());
            return new CacheRecord("http", List.of(layer), Optional.empty());
          }));
        } finally {
          Trees.delete(fetched.directory());
        }
      }
      case Operation.FileOp file -> {
        Digest key = key(vertex, inputs, request.createdTime().toString(),
            Optional.of(request.layerOptions()));
        return cachedOrComputed(vertex, key, request, lease, records,
            () -> acquireHeavy(() -> fileOp(vertex, file, inputs, request)));
      }
      case Operation.Exec exec -> {
        Digest key = key(vertex, inputs, "", Optional.of(request.layerOptions()));
        return cachedOrComputed(vertex, key, request, lease, records,
            () -> acquireHeavy(() -> exec(vertex, exec, inputs, request)));
      }
    }
  }

  /** Work that may throw the checked exceptions of a step. */
  @FunctionalInterface
  private interface Step<T> {
    T run() throws IOException, InterruptedException;
  }

  private <T> T acquireHeavy(Step<T> step) throws IOException, InterruptedException {
    heavy.acquire();
    try {
      return step.run();
    } finally {
      heavy.release();
    }
  }

  private SolvedVertex cachedOrComputed(Vertex vertex, Digest key, SolveRequest request,
      BuildLease lease, PendingRecords records, Step<CacheRecord> compute)
      throws IOException, InterruptedException {
    boolean useCache = !request.noCache() && !bypassed(vertex, request);
    if (useCache) {
      Optional<PendingRecords.Pending> hit = lookup(key, lease);
      if (hit.isPresent()) {
        // Another build's record whose commit is pending is part of this build's result too.
        records.awaitAlso(hit.get());
        return new SolvedVertex(vertex, key, hit.get().record(), true);
      }
    }
    AtomicBoolean computedHere = new AtomicBoolean();
    PendingRecords.Pending result;
    try {
      result = flights.await(key, () -> {
        if (useCache) {
          Optional<PendingRecords.Pending> hit = lookup(key, lease);
          if (hit.isPresent()) {
            return hit.get();
          }
        }
        CacheRecord fresh = compute.run();
        executions.incrementAndGet();
        computedHere.set(true);
        // Committed off the step's path: the next step needs the record's layers, which are
        // durable already, not the row naming them.
        return records.submit(new BuildCache.NewRecord(key, fresh, vertex.description()));
      }, FLIGHT_WAIT);
    } catch (ExecutionException e) {
      throw TaskFailures.unwrap(e.getCause());
    } catch (TimeoutException e) {
      throw new SolveException(vertex, "did not finish within " + FLIGHT_WAIT, e);
    }
    if (!computedHere.get()) {
      // Another build's flight produced it, under that build's lease; this build uses it too,
      // and its result waits for that build's commit of it.
      cache.hold(key, lease);
      records.awaitAlso(result);
    }
    return new SolvedVertex(vertex, key, result.record(), !computedHere.get());
  }

  /** The record of {@code key}: committed, or computed by a build whose commit is pending. */
  private Optional<PendingRecords.Pending> lookup(Digest key, BuildLease lease)
      throws IOException {
    PendingRecords.Pending pending = uncommitted.get(key);
    if (pending != null) {
      cache.hold(key, lease);
      return Optional.of(pending);
    }
    return cache.lookup(key, lease).map(PendingRecords.Pending::committed);
  }

  private static boolean bypassed(Vertex vertex, SolveRequest request) {
    for (String stage : request.noCacheStages()) {
      if (vertex.description().startsWith("[" + stage + " ")) {
        return true;
      }
    }
    return false;
  }

  private static Digest key(Vertex vertex, List<SolvedVertex> inputs, String content,
      Optional<LayerWriteOptions> layers) {
    StringBuilder text = new StringBuilder("slipway.cache/v1\n");
    text.append(vertex.digest()).append('\n');
    for (SolvedVertex input : inputs) {
      text.append(input.cacheKey()).append('\n');
    }
    text.append(content).append('\n');
    layers.ifPresent(options -> text.append(options.compression()).append(' ')
        .append(options.level()).append(' ')
        // Records print their kind and epoch, e.g. Clamp[epoch=2024-06-01T00:00:00Z].
        .append(options.timestamps()).append(' ')
        .append(options.ownerNames()));
    return Digest.sha256(text.toString().getBytes(StandardCharsets.UTF_8));
  }

  private CacheRecord fileOp(Vertex vertex, Operation.FileOp file, List<SolvedVertex> inputs,
      SolveRequest request) throws IOException, InterruptedException {
    List<LayerRef> base = inputs.getFirst().record().chain();
    // The snapshot trees this step reads stay mounted until it is done, and no longer.
    try (HeldTrees held = new HeldTrees()) {
      Optional<Path> lower =
          base.isEmpty() ? Optional.empty() : Optional.of(held.add(snapshots.tree(base)));
      Map<Integer, SourceTree> sources = new HashMap<>();
      for (FileAction action : file.actions()) {
        if (action instanceof FileAction.Copy copy && !sources.containsKey(copy.sourceInput())) {
          sources.put(copy.sourceInput(), sourceTree(vertex.inputs().get(copy.sourceInput()),
              inputs.get(copy.sourceInput()), request, held));
        }
      }
      return fileOp(vertex, file, request, base, lower, sources);
    }
  }

  private CacheRecord fileOp(Vertex vertex, Operation.FileOp file, SolveRequest request,
      List<LayerRef> base, Optional<Path> lower, Map<Integer, SourceTree> sources)
      throws IOException, InterruptedException {
    Path work = snapshots.temporaryDirectory();
    try {
      Path upper = work.resolve("upper");
      Files.createDirectory(upper);
      try {
        new FileOpRunner(new LayeredView(upper, lower), sources, request.createdTime())
            .apply(file.actions());
      } catch (IOException e) {
        throw new SolveException(vertex, e.getMessage(), e);
      }
      List<LayerRef> chain = new ArrayList<>(base);
      if (!isEmpty(upper)) {
        // The upper directory becomes the layer's unpacked tree: once its owners and times are
        // what the layer records, it is exactly what unpacking the layer would create again.
        RecordedTree.normalize(upper, request.layerOptions());
        LayerRef layer = writeLayer(ChangeSet.of(upper), request.layerOptions());
        snapshots.adopt(layer, upper);
        chain.add(layer);
      }
      return new CacheRecord("file", chain, Optional.empty());
    } finally {
      Trees.delete(work);
    }
  }

  private SourceTree sourceTree(Vertex vertex, SolvedVertex solved, SolveRequest request,
      HeldTrees held) throws IOException, InterruptedException {
    if (vertex.operation() instanceof Operation.Local local) {
      return contextTree(local, request);
    }
    return SourceTree.snapshot(held.add(snapshots.tree(solved.record().chain())));
  }

  private static SourceTree contextTree(Operation.Local local, SolveRequest request) {
    return SourceTree.context(request.contextDirectory(), ContextChecksum.ignore(local));
  }

  /** The snapshot trees one step reads, released together when it ends. Confined to the step. */
  private static final class HeldTrees implements AutoCloseable {
    private final List<TreeLease> leases = new ArrayList<>();

    Path add(TreeLease lease) {
      leases.add(lease);
      return lease.path();
    }

    @Override
    public void close() throws IOException {
      ReleaseEach.of(leases, TreeLease::close);
    }
  }

  private CacheRecord exec(Vertex vertex, Operation.Exec exec, List<SolvedVertex> inputs,
      SolveRequest request) throws IOException, InterruptedException {
    List<List<Path>> trees = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      // A stacked snapshot goes to the executor as its layers, so that RUN mounts them as
      // overlay lowers instead of reading a merged view.
      trees.add(vertex.inputs().get(i).operation() instanceof Operation.Local local
          ? List.of(contextTree(local, request).root())
          : snapshots.layers(inputs.get(i).record().chain()));
    }
    Path work = snapshots.temporaryDirectory();
    try {
      ExecChanges changes = executor.run(new ExecStep(vertex, exec, trees, work));
      List<LayerRef> chain = new ArrayList<>(inputs.getFirst().record().chain());
      chain.add(layerOf(changes, request.layerOptions()));
      return new CacheRecord("exec", chain, Optional.empty());
    } finally {
      // The layer is written; its upper directory is only in the way now, and deleting it under
      // other writers cost up to tens of milliseconds per step.
      snapshots.discard(work);
    }
  }

  /**
   * The layer of a RUN step's changes. A step that changed nothing ({@code RUN true}, a test, a
   * download into a cache mount) has the same layer as every other such step with the same
   * settings: it is written once and then reused while the store holds it, sparing a file write,
   * two fsyncs and a rename per step. Reusing it renews its age ({@link BlobStore#renew}), so a
   * collector's grace for fresh files covers it until the step's record is committed, as it
   * covers a layer just written. A solver that has not met the empty layer yet (the first such
   * step of a new process) encodes it without storing it and uses the stored blob when the store
   * has one from an earlier build, so a CLI build does not pay a write and its fsyncs for it
   * either.
   */
  private LayerRef layerOf(ExecChanges changes, LayerWriteOptions options) throws IOException {
    boolean empty = isEmpty(changes.root())
        && !(changes instanceof ExecChanges.Diff diff && !diff.deletions().isEmpty());
    LayerEncoding encoding = switch (changes) {
      case ExecChanges.OverlayUpper upper ->
          sink -> LayerWriter.writeOverlayUpper(upper.root(), options, sink);
      case ExecChanges.Diff diff -> {
        ChangeSet set = ChangeSet.of(diff.root(), new TreeSet<>(diff.deletions()));
        yield sink -> LayerWriter.write(set, options, sink);
      }
    };
    if (empty) {
      LayerRef known = emptyLayers.get(options);
      if (known == null) {
        known = reference(encoding.writeTo(OutputStream.nullOutputStream()));
      }
      if (blobs.renew(known.blob().digest())) {
        emptyLayers.put(options, known);
        return known;
      }
    }
    LayerRef layer = write(encoding);
    if (empty) {
      emptyLayers.put(options, layer);
    }
    return layer;
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (var entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    }
  }

  /** Writes a layer for {@code changes} into the store, compressing and hashing in one pass. */
  public LayerRef writeLayer(ChangeSet changes, LayerWriteOptions options) throws IOException {
    return write(sink -> LayerWriter.write(changes, options, sink));
  }

  @FunctionalInterface
  private interface LayerEncoding {
    LayerDigests writeTo(OutputStream sink) throws IOException;
  }

  private LayerRef write(LayerEncoding encoding) throws IOException {
    try (BlobWriter writer = blobs.newTemporaryWriter(DigestAlgorithm.SHA256)) {
      OutputStream sink = new BufferedOutputStream(new OutputStream() {
        @Override
        public void write(int b) throws IOException {
          writer.write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
          writer.write(bytes, offset, length);
        }
      }, 256 * 1024);
      LayerDigests digests = encoding.writeTo(sink);
      sink.flush();
      writer.commit(digests.digest(), digests.size());
      return reference(digests);
    }
  }

  private static LayerRef reference(LayerDigests digests) {
    return new LayerRef(Descriptor.of(digests.mediaType(), digests.digest(), digests.size()),
        digests.diffId());
  }
}
