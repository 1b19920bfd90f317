package io.slipway.build.graph;

import io.slipway.oci.Digest;
import java.util.Objects;
import java.util.Optional;

/**
 * Supplies the config of a base image while the graph is built, because a Dockerfile's meaning
 * depends on it: ENV of the base is visible to expansion, its WORKDIR anchors relative paths, its
 * ONBUILD triggers run in the child. The solver implements this with the registry client and pins
 * the digest; {@link #offline()} knows nothing, which is enough for outline, targets and lint.
 * Implementations must be safe for concurrent use.
 */
@FunctionalInterface
public interface ImageResolver {

  /** What is known about {@code reference} for {@code platform}. */
  ResolvedImage resolve(String reference, Platform platform);

  /** A resolver that knows no image: every base has an empty config and no pinned digest. */
  static ImageResolver offline() {
    return (reference, platform) -> ResolvedImage.UNKNOWN;
  }

  /**
   * A resolved base image: its pinned manifest digest (when known) and config. {@code known} is
   * false when nothing was looked up, so that lint does not flag variables the base may define.
   */
  record ResolvedImage(Optional<Digest> digest, ImageConfig config, boolean known) {
    /** Nothing known about the image. */
    public static final ResolvedImage UNKNOWN =
        new ResolvedImage(Optional.empty(), ImageConfig.EMPTY, false);

    public ResolvedImage {
      Objects.requireNonNull(digest, "digest");
      Objects.requireNonNull(config, "config");
    }
  }
}
