package io.slipway.build.run;

import io.slipway.build.dockerfile.SourceRange;
import io.slipway.build.graph.Vertex;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a RUN step came from, for error messages: the vertex description (such as
 * {@code [build 2/5] RUN make}), the Dockerfile's name and the lines of the instruction. Immutable.
 */
public record StepOrigin(String description, String file, Optional<SourceRange> lines) {

  public StepOrigin {
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(lines, "lines");
  }

  /** The origin of {@code vertex}, an instruction of the Dockerfile named {@code file}. */
  public static StepOrigin of(Vertex vertex, String file) {
    return new StepOrigin(vertex.description(), file, vertex.source());
  }

  /** {@code Dockerfile:12} or {@code Dockerfile:12-14}, or just the file without lines. */
  public String location() {
    return lines.map(range -> file + ":" + range).orElse(file);
  }
}
