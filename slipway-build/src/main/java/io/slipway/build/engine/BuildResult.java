package io.slipway.build.engine;

import io.slipway.build.export.BuiltImage;
import io.slipway.build.solver.Solution;
import java.util.Objects;

/** A finished build: the image (in the content store) and every vertex's result. Immutable. */
public record BuildResult(BuiltImage image, Solution solution) {
  public BuildResult {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(solution, "solution");
  }
}
