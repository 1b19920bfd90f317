package io.slipway.build.graph;

import java.util.Objects;

/**
 * One line of the image history, as the reference builder writes it ({@code RUN /bin/sh -c make #
 * buildkit}). {@code emptyLayer} is set for metadata-only instructions. Immutable.
 */
public record HistoryEntry(String createdBy, boolean emptyLayer) {
  public HistoryEntry {
    Objects.requireNonNull(createdBy, "createdBy");
  }
}
