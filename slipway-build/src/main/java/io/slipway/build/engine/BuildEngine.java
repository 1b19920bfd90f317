package io.slipway.build.engine;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.slipway.build.cache.BuildCache;
import io.slipway.build.export.BuiltImage;
import io.slipway.build.export.Exporter;
import io.slipway.build.export.ImageAssembler;
import io.slipway.build.export.Output;
import io.slipway.build.graph.BuildGraph;
import io.slipway.build.graph.GraphBuilder;
import io.slipway.build.snapshot.Snapshotter;
import io.slipway.build.solver.Executor;
import io.slipway.build.solver.ImageSource;
import io.slipway.build.solver.PinnedImages;
import io.slipway.build.solver.Solution;
import io.slipway.build.solver.SolveListener;
import io.slipway.build.solver.SolveRequest;
import io.slipway.build.solver.Solver;
import io.slipway.client.RegistryClient;
import io.slipway.store.blob.FileBlobStore;
import io.slipway.store.sql.SqliteDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The builder of one state root: content store ({@code blobs/}), build cache metadata
 * ({@code meta.db}), snapshots ({@code snapshots/}), and the solver, exporter and image sources
 * wired over them. {@link #build} runs Dockerfile → graph → solver → image → outputs.
 *
 * <p>Safe for concurrent use: concurrent builds share the cache and de-duplicate identical steps.
 * Close it once every build has finished.
 */
public final class BuildEngine implements AutoCloseable {

  private final FileBlobStore store;
  private final SqliteDatabase database;
  private final Solver solver;
  private final Exporter exporter;
  private final ImageSource images;
  private final Clock clock;
  private final Tracer tracer;
  private final BuildRecovery.Outcome recovery;

  private BuildEngine(FileBlobStore store, SqliteDatabase database, Solver solver,
      Exporter exporter, ImageSource images, Clock clock, Tracer tracer,
      BuildRecovery.Outcome recovery) {
    this.store = store;
    this.database = database;
    this.solver = solver;
    this.exporter = exporter;
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
    return new BuildEngine(store, database, solver, exporter, images, clock, value, recovery);
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
    Files.createDirectories(root);
    FileBlobStore store = FileBlobStore.open(root);
    BuildRecovery.Recovered recovered;
    try {
      recovered = BuildRecovery.open(root.resolve("meta.db"), store, clock);
    } catch (SQLException | IOException | RuntimeException e) {
      store.close();
      throw new IOException("cannot open the build database " + root.resolve("meta.db") + ": "
          + e.getMessage(), e);
    }
    SqliteDatabase database = recovered.database();
    try {
      Snapshotter snapshots = Snapshotter.open(root.resolve("snapshots"), store);
      BuildCache cache = new BuildCache(database, store, clock);
      Solver solver = new Solver(cache, snapshots, executor, heavyOperations);
      return new BuildEngine(store, database, solver, new Exporter(store, snapshots, client),
          images.apply(store), clock, OpenTelemetry.noop().getTracer("io.slipway.build"),
          recovered.outcome());
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

  /** The content store. */
  public FileBlobStore store() {
    return store;
  }

  /** The solver, shared by every build of this engine. */
  public Solver solver() {
    return solver;
  }

  /** Runs {@code request}, reporting vertex progress to {@code listener}. */
  public BuildResult build(BuildRequest request, SolveListener listener)
      throws IOException, InterruptedException {
    Span span = tracer.spanBuilder("build").startSpan();
    try {
      BuildResult result = buildTraced(request, span,
          new TracingListener(tracer, Context.current().with(span), listener));
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

  private BuildResult buildTraced(BuildRequest request, Span parent, SolveListener listener)
      throws IOException, InterruptedException {
    PinnedImages pinned = new PinnedImages(images);
    BuildGraph graph;
    try {
      graph = GraphBuilder.build(request.dockerfile(), request.options(), pinned);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    Output.LayerSettings layers = request.outputs().isEmpty()
        ? Output.LayerSettings.DEFAULT : request.outputs().getFirst().layers();
    Instant directories = request.sourceDateEpoch().orElse(Instant.EPOCH);
    SolveRequest solve = new SolveRequest(request.contextDirectory(), request.noCache(),
        request.noCacheStages(),
        layers.options(request.sourceDateEpoch(),
            Math.max(1, Runtime.getRuntime().availableProcessors())),
        directories);
    Solution solution = solver.solve(graph, solve, pinned, listener);
    Instant created = request.sourceDateEpoch().orElseGet(clock::instant);
    BuiltImage image = ImageAssembler.assemble(solution, graph.target(), created, store);
    for (Output output : request.outputs()) {
      Span span = tracer.spanBuilder("export")
          .setParent(Context.current().with(parent))
          .setAttribute("slipway.output.type", output.getClass().getSimpleName())
          .setAttribute("slipway.image.manifest", image.manifest().digest().toString())
          .setAttribute("slipway.image.size", image.layers().stream()
              .mapToLong(l -> l.blob().size()).sum())
          .startSpan();
      try {
        exporter.export(image, output);
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

  @Override
  public void close() throws IOException {
    try {
      database.close();
    } catch (SQLException e) {
      throw new IOException("cannot close the build database: " + e.getMessage(), e);
    } finally {
      store.close();
    }
  }
}
