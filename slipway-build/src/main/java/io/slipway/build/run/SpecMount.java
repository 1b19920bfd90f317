package io.slipway.build.run;

import java.util.List;
import java.util.Objects;

/**
 * One entry of the OCI runtime spec's {@code mounts}: where in the container, the file system
 * type, the host source and the mount options. Immutable.
 */
public record SpecMount(String destination, String type, String source, List<String> options) {

  public SpecMount {
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(source, "source");
    options = List.copyOf(options);
  }

  /** A recursive bind mount of a host path. */
  public static SpecMount bind(String destination, String source, boolean readOnly) {
    return new SpecMount(
        destination,
        "bind",
        source,
        readOnly ? List.of("rbind", "ro", "nosuid", "nodev") : List.of("rbind", "rw"));
  }
}
