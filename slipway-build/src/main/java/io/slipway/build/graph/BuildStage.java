package io.slipway.build.graph;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A converted stage: the vertex of its final file system, its image config, the history entries it
 * added over its base, its platform, and the build args it actually used. Immutable.
 */
public record BuildStage(
    int index,
    Optional<String> name,
    Vertex root,
    ImageConfig config,
    List<HistoryEntry> history,
    Platform platform) {

  public BuildStage {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(config, "config");
    history = List.copyOf(history);
    Objects.requireNonNull(platform, "platform");
  }

  /** The name if there is one, else the index. */
  public String displayName() {
    return name.orElse(String.valueOf(index));
  }
}
