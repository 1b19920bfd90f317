package io.slipway.build.engine;

import io.slipway.build.dockerfile.Dockerfile;
import io.slipway.build.export.Output;
import io.slipway.build.graph.BuildOptions;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One build as the user asked for it: the parsed Dockerfile, the context directory, the frontend
 * options (target, build args, platform, ignore patterns), cache bypasses, the
 * {@code SOURCE_DATE_EPOCH} if any, and the outputs. Immutable.
 */
public record BuildRequest(
    Dockerfile dockerfile,
    Path contextDirectory,
    BuildOptions options,
    boolean noCache,
    Set<String> noCacheStages,
    Optional<Instant> sourceDateEpoch,
    List<Output> outputs) {

  public BuildRequest {
    Objects.requireNonNull(dockerfile, "dockerfile");
    Objects.requireNonNull(contextDirectory, "contextDirectory");
    Objects.requireNonNull(options, "options");
    noCacheStages = Set.copyOf(noCacheStages);
    Objects.requireNonNull(sourceDateEpoch, "sourceDateEpoch");
    outputs = List.copyOf(outputs);
  }

  /** A build of {@code dockerfile} in {@code context} with default options and no outputs. */
  public static BuildRequest of(Dockerfile dockerfile, Path context) {
    return new BuildRequest(dockerfile, context, BuildOptions.defaults(), false, Set.of(),
        Optional.empty(), List.of());
  }

  /** A copy with {@code options}. */
  public BuildRequest withOptions(BuildOptions value) {
    return new BuildRequest(dockerfile, contextDirectory, value, noCache, noCacheStages,
        sourceDateEpoch, outputs);
  }

  /** A copy with {@code --no-cache} set or cleared. */
  public BuildRequest withNoCache(boolean value) {
    return new BuildRequest(dockerfile, contextDirectory, options, value, noCacheStages,
        sourceDateEpoch, outputs);
  }

  /** A copy with {@code --no-cache-filter} stages. */
  public BuildRequest withNoCacheStages(Set<String> value) {
    return new BuildRequest(dockerfile, contextDirectory, options, noCache, value,
        sourceDateEpoch, outputs);
  }

  /** A copy with a {@code SOURCE_DATE_EPOCH}. */
  public BuildRequest withSourceDateEpoch(Instant value) {
    return new BuildRequest(dockerfile, contextDirectory, options, noCache, noCacheStages,
        Optional.of(value), outputs);
  }

  /** A copy with {@code value} as the outputs. */
  public BuildRequest withOutputs(List<Output> value) {
    return new BuildRequest(dockerfile, contextDirectory, options, noCache, noCacheStages,
        sourceDateEpoch, value);
  }
}
