package io.slipway.build.solver;

import io.slipway.store.layer.LayerWriteOptions;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * What one build asks of the {@link Solver}: the context directory, whether to bypass the cache
 * ({@code --no-cache}) or bypass it for some stages ({@code --no-cache-filter}), how layers are
 * written (compression, timestamps), and the time given to directories a step creates (the
 * {@code SOURCE_DATE_EPOCH} when set, so layers are reproducible). Immutable.
 */
public record SolveRequest(
    Path contextDirectory,
    boolean noCache,
    Set<String> noCacheStages,
    LayerWriteOptions layerOptions,
    Instant createdTime) {

  public SolveRequest {
    Objects.requireNonNull(contextDirectory, "contextDirectory");
    noCacheStages = Set.copyOf(noCacheStages);
    Objects.requireNonNull(layerOptions, "layerOptions");
    Objects.requireNonNull(createdTime, "createdTime");
  }

  /** Defaults: the cache used, gzip layers with source times, created directories at 1970. */
  public static SolveRequest of(Path contextDirectory) {
    return new SolveRequest(contextDirectory, false, Set.of(), LayerWriteOptions.defaults(),
        Instant.EPOCH);
  }

  /** A copy with {@code --no-cache} set or cleared. */
  public SolveRequest withNoCache(boolean value) {
    return new SolveRequest(contextDirectory, value, noCacheStages, layerOptions, createdTime);
  }

  /** A copy bypassing the cache for {@code stages}. */
  public SolveRequest withNoCacheStages(Set<String> stages) {
    return new SolveRequest(contextDirectory, noCache, stages, layerOptions, createdTime);
  }

  /** A copy writing layers with {@code options}. */
  public SolveRequest withLayerOptions(LayerWriteOptions options) {
    return new SolveRequest(contextDirectory, noCache, noCacheStages, options, createdTime);
  }

  /** A copy giving created directories {@code time}. */
  public SolveRequest withCreatedTime(Instant time) {
    return new SolveRequest(contextDirectory, noCache, noCacheStages, layerOptions, time);
  }
}
