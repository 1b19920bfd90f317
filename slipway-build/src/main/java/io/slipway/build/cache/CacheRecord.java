package io.slipway.build.cache;

import io.slipway.oci.Descriptor;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the cache remembers of one solved vertex: the full chain of layers that makes its file
 * system (base layer first), and for a base image its config blob, so a hit needs neither a pull
 * nor a recomputation. Every blob named here is in the content store before the record is written.
 * Immutable.
 */
public record CacheRecord(String kind, List<LayerRef> chain, Optional<Descriptor> imageConfig) {
  public CacheRecord {
    Objects.requireNonNull(kind, "kind");
    chain = List.copyOf(chain);
    Objects.requireNonNull(imageConfig, "imageConfig");
  }
}
