package io.slipway.build.engine;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.slipway.build.cache.BuildCache;
import io.slipway.build.cache.BuildImages;
import io.slipway.build.cache.ImageRecord;
import io.slipway.build.cache.BuildLease;
import io.slipway.build.cache.BuildLeases;
import io.slipway.build.export.BuiltImage;
import io.slipway.build.export.Exporter;
import io.slipway.build.export.ImageAssembler;
import io.slipway.build.export.LayerCompression;
import io.slipway.build.export.Output;
import io.slipway.build.graph.BuildGraph;
import io.slipway.build.graph.GraphBuilder;
import io.slipway.build.prune.BuilderLayout;
import io.slipway.build.prune.Pruner;
import io.slipway.build.snapshot.Snapshotter;
import io.slipway.build.solver.Executor;
import io.slipway.build.solver.ImageSource;
import io.slipway.build.solver.PinnedImages;
import io.slipway.build.solver.Solution;
import io.slipway.build.solver.SolveListener;
import io.slipway.build.solver.SolveRequest;
import io.slipway.build.solver.Solver;
import io.slipway.client.OnDemandClient;
import io.slipway.client.RegistryClient;
import io.slipway.client.TransferListener;
import io.slipway.oci.Digest;
import io.slipway.store.blob.FileBlobStore;
import io.slipway.store.compress.Compression;
import io.slipway.store.sql.SqliteDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The builder of one state root: content store ({@code blobs/}), build cache metadata
 * ({@code meta.db}), snapshots ({@code snapshots/}), and the solver, exporter and image sources
 * wired over them. {@link #build} runs Dockerfile → graph → solver → image → outputs.
 *
 * <p>Safe for concurrent use: concurrent builds share the cache and de-duplicate identical steps.
 * Close it once every build has finished.
 */
public final class BuildEngine implements AutoCloseable {

  private final Path root;
  private final FileBlobStore store;
  private final SqliteDatabase database;
  private final BuildLeases leases;
  private final Solver solver;
  private final Exporter exporter;
  private final LayerCompression compression;
  private final ImageSource images;
  private final Clock clock;
  private final Tracer tracer;
  private final BuildRecovery.Outcome recovery;

  private BuildEngine(Path root, FileBlobStore store, SqliteDatabase database, Solver solver,
      Exporter exporter, LayerCompression compression, ImageSource images, Clock clock,
      Tracer tracer, BuildRecovery.Outcome recovery) {
    this.root = root;
    this.store = store;
    this.database = database;
    this.leases = new BuildLeases(database, clock);
    this.solver = solver;
    this.exporter = exporter;
    this.compression = compression;
    this.images = images;
    this.clock = clock;
    this.tracer = tracer;
    this.recovery = recovery;
  }

  /**
   * A copy of this engine (sharing its store, cache and solver) that traces builds with
   * {@code tracer}: a {@code build} span per build with {@code pull}/{@code vertex} spans per
   * step and an {@code export} span per output.
   */
  public BuildEngine withTracer(Tracer value) {
    return new BuildEngine(root, store, database, solver, exporter, compression, images, clock,
        value,
        recovery);
  }

  /**
   * Opens the state under {@code root}, recovering it first ({@link BuildRecovery}: a corrupt
   * database is set aside, cache records naming missing blobs are dropped, crash leftovers in
   * {@code ingest/} and {@code snapshots/} are removed). {@code images} makes the base image
   * source from the content store (registries, OCI layouts); {@code client} pushes; {@code
   * executor} runs RUN.
   */
  public static BuildEngine open(Path root, java.util.function.Function<FileBlobStore,
      ImageSource> images, Optional<RegistryClient> client, Executor executor,
      int heavyOperations, Clock clock) throws IOException {
    Path snapshotRoot = root.resolve("snapshots");
    return open(root, images, client, executor, heavyOperations, clock,
        interruptible(() -> Snapshotter.detect(snapshotRoot)));
  }

  /**
   * As {@link #open(Path, java.util.function.Function, Optional, Executor, int, Clock)}, with the
   * snapshot mode given rather than detected (the executor's root file system mode must match:
   * overlay for {@link Snapshotter.Mode#STACKED}).
   */
  public static BuildEngine open(Path root, java.util.function.Function<FileBlobStore,
      ImageSource> images, Optional<RegistryClient> client, Executor executor,
      int heavyOperations, Clock clock, Snapshotter.Mode snapshotMode) throws IOException {
    return openWith(root, images, client.map(OnDemandClient::of), executor, heavyOperations,
        clock, snapshotMode);
  }

  /**
   * As {@link #open(Path, java.util.function.Function, Optional, Executor, int, Clock)}, pushing
   * with a client made only when an output first pushes, so a build that neither pulls nor pushes
   * never builds one. The caller closes {@code client}.
   */
  public static BuildEngine open(Path root, java.util.function.Function<FileBlobStore,
      ImageSource> images, OnDemandClient client, Executor executor, int heavyOperations,
      Clock clock) throws IOException {
    Path snapshotRoot = root.resolve("snapshots");
    return openWith(root, images, Optional.of(client), executor, heavyOperations, clock,
        interruptible(() -> Snapshotter.detect(snapshotRoot)));
  }

  private static BuildEngine openWith(Path root, java.util.function.Function<FileBlobStore,
      ImageSource> images, Optional<OnDemandClient> client, Executor executor,
      int heavyOperations, Clock clock, Snapshotter.Mode snapshotMode) throws IOException {
    Files.createDirectories(root);
    BuilderLayout layout = new BuilderLayout(root);
    FileBlobStore store = FileBlobStore.open(root);
    BuildRecovery.Recovered recovered;
    try {
      recovered = BuildRecovery.open(layout.metaDb(), store, clock);
    } catch (SQLException | IOException | RuntimeException e) {
      store.close();
      throw new IOException("cannot open the build database " + layout.metaDb() + ": "
          + e.getMessage(), e);
    }
    SqliteDatabase database = recovered.database();
    try {
      Snapshotter snapshots =
          interruptible(() -> Snapshotter.open(layout.snapshots(), store, snapshotMode));
      BuildCache cache = new BuildCache(database, store, clock);
      Solver solver = new Solver(cache, snapshots, executor, heavyOperations);
      return new BuildEngine(root, store, database, solver,
          new Exporter(snapshots, store, client),
          new LayerCompression(store, new BuildImages(database, store, clock),
              Math.max(1, Runtime.getRuntime().availableProcessors())),
          images.apply(store), clock,
          OpenTelemetry.noop().getTracer("io.slipway.build"), recovered.outcome());
    } catch (IOException | RuntimeException e) {
      try {
        database.close();
      } catch (SQLException suppressed) {
        e.addSuppressed(suppressed);
      }
      store.close();
      throw e;
    }
  }

  /** What startup recovery did to this engine's root when it was opened. */
  public BuildRecovery.Outcome recovery() {
    return recovery;
  }

  /** The build database ({@code meta.db}). */
  public SqliteDatabase database() {
    return database;
  }

  /** The content store. */
  public FileBlobStore store() {
    return store;
  }

  /**
   * Disk usage and prune of this engine's root ({@code slipway du}, {@code slipway prune}, and
   * automatic GC after builds); safe to use while builds run.
   */
  public Pruner pruner() {
    return Pruner.of(new BuilderLayout(root), database, store, clock);
  }

  /** The leases builds of this root hold while they run (one per build, in any process). */
  public BuildLeases leases() {
    return leases;
  }

  /** The solver, shared by every build of this engine. */
  public Solver solver() {
    return solver;
  }

  /** Runs {@code request}, reporting vertex progress to {@code listener}. */
  public BuildResult build(BuildRequest request, SolveListener listener)
      throws IOException, InterruptedException {
    return build(request, listener, TransferListener.none());
  }

  /**
   * Runs {@code request}, reporting vertex progress to {@code listener} and the blobs its outputs
   * push to {@code transfers}.
   */
  public BuildResult build(BuildRequest request, SolveListener listener,
      TransferListener transfers) throws IOException, InterruptedException {
    Span span = tracer.spanBuilder("build").startSpan();
    try {
      BuildResult result = buildTraced(request, span,
          new TracingListener(tracer, Context.current().with(span), listener), transfers);
      span.setAttribute("slipway.image.manifest", result.image().manifest().digest().toString());
      span.setAttribute("slipway.image.config", result.image().config().digest().toString());
      span.setAttribute("slipway.cache.hits", result.solution().cacheHits());
      return result;
    } catch (IOException | InterruptedException | RuntimeException e) {
      span.recordException(e);
      span.setStatus(StatusCode.ERROR, String.valueOf(e.getMessage()));
      throw e;
    } finally {
      span.end();
    }
  }

  private BuildResult buildTraced(BuildRequest request, Span parent, SolveListener listener,
      TransferListener transfers) throws IOException, InterruptedException {
    // The lease keeps prune away from every record this build uses until its outputs are written.
    try (BuildLease lease = leases.acquire()) {
      return buildLeased(request, parent, listener, transfers, lease);
    }
  }

  private BuildResult buildLeased(BuildRequest request, Span parent, SolveListener listener,
      TransferListener transfers, BuildLease lease) throws IOException, InterruptedException {
    PinnedImages pinned = new PinnedImages(images);
    BuildGraph graph;
    try {
      graph = GraphBuilder.build(request.dockerfile(), request.options(), pinned);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    // The graph builder has loaded every base; recorded now, under the lease, so prune cannot
    // take their records while this build still reads them.
    Set<Digest> recorded = new HashSet<>();
    recordBases(pinned, recorded, lease);
    Output.LayerSettings layers = request.outputs().isEmpty()
        ? Output.LayerSettings.DEFAULT : request.outputs().getFirst().layers();
    Instant directories = request.sourceDateEpoch().orElse(Instant.EPOCH);
    // Layers stay uncompressed in the builder; an output that ships the image compresses them
    // (LayerCompression), so the compression settings are not part of any step's cache key.
    SolveRequest solve = new SolveRequest(request.contextDirectory(), request.noCache(),
        request.noCacheStages(),
        layers.options(request.sourceDateEpoch(), 1).withCompression(Compression.NONE, -1),
        directories);
    Solution solution = solver.solve(graph, solve, pinned, listener, lease);
    Instant created = request.sourceDateEpoch().orElseGet(clock::instant);
    BuiltImage built = ImageAssembler.assemble(solution, graph.target(), created, store);
    recordBases(pinned, recorded, lease);
    new BuildImages(database, store, clock).record(built.manifest().digest(), ImageRecord.Role.BUILT,
        "built image", List.of(built.manifest(), built.config()), lease);
    // What the result reports: the image as the first output that ships it carries it.
    BuiltImage image = built;
    boolean shipped = false;
    for (Output output : request.outputs()) {
      BuiltImage exported = ships(output)
          ? compression.compress(built, output.layers(), lease) : built;
      if (!shipped && ships(output)) {
        image = exported;
        shipped = true;
      }
      Span span = tracer.spanBuilder("export")
          .setParent(Context.current().with(parent))
          .setAttribute("slipway.output.type", output.getClass().getSimpleName())
          .setAttribute("slipway.image.manifest", exported.manifest().digest().toString())
          .setAttribute("slipway.image.size", exported.layers().stream()
              .mapToLong(l -> l.blob().size()).sum())
          .startSpan();
      try {
        exporter.export(exported, output, transfers);
      } catch (IOException | InterruptedException | RuntimeException e) {
        span.recordException(e);
        span.setStatus(StatusCode.ERROR, String.valueOf(e.getMessage()));
        throw e;
      } finally {
        span.end();
      }
    }
    return new BuildResult(image, solution);
  }

  /**
   * Whether {@code output} takes the image out of the builder, so its layers are compressed as
   * the output's settings say: pushes and image archives. A local image, a directory and a root
   * file system tar carry no layer blobs.
   */
  private static boolean ships(Output output) {
    return switch (output) {
      case Output.OciTar oci -> true;
      case Output.DockerTar docker -> true;
      case Output.Image named -> named.push();
      case Output.LocalDirectory local -> false;
      case Output.RootfsTar tar -> false;
    };
  }

  /**
   * Records each base image the build has resolved and not yet recorded (adding it to {@code
   * recorded}), so its manifests, indexes and configs are referenced (fsck, prune, a co-located
   * registry's GC) and held by the lease while the build runs.
   */
  private void recordBases(PinnedImages pinned, Set<Digest> recorded, BuildLease lease)
      throws IOException {
    BuildImages records = new BuildImages(database, store, clock);
    for (var base : pinned.loaded().entrySet()) {
      Digest root = base.getValue().root().digest();
      if (recorded.add(root)) {
        records.record(root, ImageRecord.Role.BASE, "base " + base.getKey(),
            base.getValue().metadataBlobs(), lease);
      }
    }
  }

  /** Work that may be interrupted while opening. */
  @FunctionalInterface
  private interface Opening<T> {
    T run() throws IOException, InterruptedException;
  }

  /** Runs {@code work}; an interrupt is kept on the thread and reported as an I/O failure. */
  private static <T> T interruptible(Opening<T> work) throws IOException {
    try {
      return work.run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while opening the snapshots", e);
    }
  }

  @Override
  public void close() throws IOException {
    try {
      solver.snapshots().close();
    } finally {
      closeStore();
    }
  }

  private void closeStore() throws IOException {
    try {
      database.close();
    } catch (SQLException e) {
      throw new IOException("cannot close the build database: " + e.getMessage(), e);
    } finally {
      store.close();
    }
  }
}
