package io.slipway.store.layer;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How file modification times enter a layer. {@link #keep()} records the source's times (whole
 * seconds); {@link #clamp(Instant)} records them but none later than {@code SOURCE_DATE_EPOCH}, as
 * the reference builder does; {@link #rewrite(Instant)} gives every entry the same time
 * ({@code rewrite-timestamp}), which makes a layer independent of when its files were made.
 * Immutable.
 */
public record TimestampPolicy(Mode mode, Optional<Instant> epoch) {

  /** The three policies. */
  public enum Mode {
    KEEP,
    CLAMP,
    REWRITE
  }

  public TimestampPolicy {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(epoch, "epoch");
    if ((mode == Mode.KEEP) != epoch.isEmpty()) {
      throw new IllegalArgumentException(mode + " needs " + (epoch.isEmpty() ? "an" : "no") + " epoch");
    }
  }

  public static TimestampPolicy keep() {
    return new TimestampPolicy(Mode.KEEP, Optional.empty());
  }

  public static TimestampPolicy clamp(Instant epoch) {
    return new TimestampPolicy(Mode.CLAMP, Optional.of(epoch));
  }

  public static TimestampPolicy rewrite(Instant epoch) {
    return new TimestampPolicy(Mode.REWRITE, Optional.of(epoch));
  }

  /** The time to record for a source time. */
  public Instant apply(Instant source) {
    return switch (mode) {
      case KEEP -> source;
      case CLAMP -> source.isAfter(epoch.orElseThrow()) ? epoch.orElseThrow() : source;
      case REWRITE -> epoch.orElseThrow();
    };
  }

  /** The time given to whiteout files, which have no source: the epoch, or 1970. */
  public Instant markerTime() {
    return epoch.orElse(Instant.EPOCH);
  }
}
