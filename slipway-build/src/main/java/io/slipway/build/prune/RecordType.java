package io.slipway.build.prune;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The kinds of builder cache record disk usage lists and prune removes. Immutable. */
public enum RecordType {
  /** A step's result (COPY, ADD, RUN, WORKDIR…): a chain of layers the builder can recompute. */
  LAYER("layer"),
  /** Content fetched from outside: a base image, or a file downloaded by {@code ADD URL}. */
  SOURCE("source"),
  /** A {@code RUN --mount=type=cache} directory. */
  CACHE_MOUNT("cache-mount"),
  /**
   * An image a build produced or a base image it resolved: the manifest, index and config blobs
   * the builder keeps for it (its layers belong to layer and source records).
   */
  IMAGE("image");

  private final String label;

  RecordType(String label) {
    this.label = label;
  }

  /** The name users write in filters and read in {@code slipway du}. */
  public String label() {
    return label;
  }

  /** The type named {@code text}, or a clear error listing the names. */
  public static RecordType parse(String text) {
    for (RecordType type : values()) {
      if (type.label.equals(text.toLowerCase(Locale.ROOT))) {
        return type;
      }
    }
    throw new IllegalArgumentException("unknown record type \"" + text + "\": use "
        + Arrays.stream(values()).map(RecordType::label).collect(Collectors.joining(", ")));
  }

  /** The type of a build cache record of {@code kind} (as {@code CacheRecord.kind()} names it). */
  public static RecordType ofKind(String kind) {
    return switch (kind) {
      case "image", "http" -> SOURCE;
      default -> LAYER;
    };
  }
}
