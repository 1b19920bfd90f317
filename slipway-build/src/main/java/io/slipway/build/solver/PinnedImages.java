package io.slipway.build.solver;

import io.slipway.build.graph.ImageConfig;
import io.slipway.build.graph.ImageResolver;
import io.slipway.build.graph.Platform;
import io.slipway.oci.ImageConfig.RunConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The base images of one build, each loaded once and pinned to its manifest digest: the graph
 * builder asks it for configs (ENV, WORKDIR, ONBUILD of the base), the solver for layers, and both
 * see the same digest even if a tag moves during the build. Safe for concurrent use.
 */
public final class PinnedImages implements ImageResolver {

  private record Key(String reference, Platform platform) {}

  private final ImageSource source;
  private final ConcurrentHashMap<Key, BaseImage> loaded = new ConcurrentHashMap<>();

  /** Pins images loaded from {@code source}. */
  public PinnedImages(ImageSource source) {
    this.source = source;
  }

  /** Every image loaded so far, by the reference it was asked for. */
  public java.util.Map<String, BaseImage> loaded() {
    java.util.Map<String, BaseImage> result = new java.util.TreeMap<>();
    loaded.forEach((key, image) -> result.put(key.reference(), image));
    return result;
  }

  /** The image for {@code reference} and {@code platform}, loading it the first time. */
  public BaseImage image(String reference, Platform platform)
      throws IOException, InterruptedException {
    Key key = new Key(reference, platform);
    BaseImage image = loaded.get(key);
    if (image != null) {
      return image;
    }
    // Two stages naming one base at once may both load it; the source de-duplicates the
    // transfers, and the first result is kept so both see one digest.
    BaseImage fresh = source.load(reference, toOci(platform));
    BaseImage previous = loaded.putIfAbsent(key, fresh);
    return previous == null ? fresh : previous;
  }

  @Override
  public ResolvedImage resolve(String reference, Platform platform) {
    BaseImage image;
    try {
      image = image(reference, platform);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load base image " + reference + ": " + e.getMessage(),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(new java.io.InterruptedIOException(
          "interrupted while loading base image " + reference));
    }
    return new ResolvedImage(Optional.of(image.manifest().digest()),
        toGraphConfig(image.configValue()), true);
  }

  /** The OCI form of a graph platform. */
  public static io.slipway.oci.Platform toOci(Platform platform) {
    return platform.variant().isEmpty()
        ? io.slipway.oci.Platform.of(platform.os(), platform.architecture())
        : io.slipway.oci.Platform.of(platform.os(), platform.architecture(), platform.variant());
  }

  /** The parts of an image config that Dockerfile instructions read and change. */
  public static ImageConfig toGraphConfig(io.slipway.oci.ImageConfig config) {
    RunConfig run = config.config();
    Optional<ImageConfig.HealthcheckConfig> health = Optional.ofNullable(run.healthcheck())
        .map(h -> new ImageConfig.HealthcheckConfig(h.test(), Duration.ofNanos(h.intervalNanos()),
            Duration.ofNanos(h.timeoutNanos()), Duration.ofNanos(h.startPeriodNanos()),
            Duration.ofNanos(h.startIntervalNanos()), h.retries()));
    return new ImageConfig(
        run.env(),
        Optional.ofNullable(run.user()).orElse(""),
        Optional.ofNullable(run.workingDir()).orElse(""),
        run.entrypoint().isEmpty() ? Optional.empty() : Optional.of(run.entrypoint()),
        run.cmd().isEmpty() ? Optional.empty() : Optional.of(run.cmd()),
        new java.util.TreeMap<>(run.labels()),
        new java.util.TreeSet<>(run.exposedPorts()),
        new java.util.TreeSet<>(run.volumes()),
        Optional.ofNullable(run.stopSignal()),
        health,
        run.shell().isEmpty() ? ImageConfig.DEFAULT_SHELL : run.shell(),
        run.onBuild(),
        Optional.ofNullable(config.author()));
  }
}
