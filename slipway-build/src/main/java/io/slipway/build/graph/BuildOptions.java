package io.slipway.build.graph;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the user asked for besides the Dockerfile: {@code --target}, {@code --build-arg}s, the
 * target and build platforms, and the context's ignore patterns (from {@code .dockerignore}),
 * which every context source of the graph carries. Immutable.
 */
public record BuildOptions(
    Optional<String> target,
    Map<String, String> buildArgs,
    Platform targetPlatform,
    Platform buildPlatform,
    List<String> ignorePatterns) {

  public BuildOptions {
    Objects.requireNonNull(target, "target");
    buildArgs = java.util.Collections.unmodifiableMap(new TreeMap<>(buildArgs));
    Objects.requireNonNull(targetPlatform, "targetPlatform");
    Objects.requireNonNull(buildPlatform, "buildPlatform");
    ignorePatterns = List.copyOf(ignorePatterns);
  }

  /** Defaults: last stage, no build args, host platform for both, nothing ignored. */
  public static BuildOptions defaults() {
    Platform host = Platform.host();
    return new BuildOptions(Optional.empty(), Map.of(), host, host, List.of());
  }

  /** A copy building {@code target}. */
  public BuildOptions withTarget(String target) {
    return new BuildOptions(
        Optional.of(target), buildArgs, targetPlatform, buildPlatform, ignorePatterns);
  }

  /** A copy with {@code args} as the build args. */
  public BuildOptions withBuildArgs(Map<String, String> args) {
    return new BuildOptions(target, args, targetPlatform, buildPlatform, ignorePatterns);
  }

  /** A copy targeting {@code platform}. */
  public BuildOptions withTargetPlatform(Platform platform) {
    return new BuildOptions(target, buildArgs, platform, buildPlatform, ignorePatterns);
  }

  /** A copy with the context ignore patterns. */
  public BuildOptions withIgnorePatterns(List<String> patterns) {
    return new BuildOptions(target, buildArgs, targetPlatform, buildPlatform, patterns);
  }
}
