package io.slipway.store.layer;

import java.time.Instant;
import java.util.Objects;

/**
 * How file modification times enter a layer. {@link Keep} records the source's times (whole
 * seconds); {@link Clamp} records them but none later than {@code SOURCE_DATE_EPOCH}, as the
 * reference builder does; {@link Rewrite} gives every entry the same time ({@code
 * rewrite-timestamp}), which makes a layer independent of when its files were made. Immutable.
 */
public sealed interface TimestampPolicy {

  /** The time to record for a source time. */
  Instant apply(Instant source);

  /** The time given to whiteout files, which have no source: the epoch, or 1970. */
  Instant markerTime();

  static TimestampPolicy keep() {
    return new Keep();
  }

  static TimestampPolicy clamp(Instant epoch) {
    return new Clamp(epoch);
  }

  static TimestampPolicy rewrite(Instant epoch) {
    return new Rewrite(epoch);
  }

  /** Source times as they are. */
  record Keep() implements TimestampPolicy {
    @Override
    public Instant apply(Instant source) {
      return source;
    }

    @Override
    public Instant markerTime() {
      return Instant.EPOCH;
    }
  }

  /** Source times, but none later than {@code epoch}. */
  record Clamp(Instant epoch) implements TimestampPolicy {
    public Clamp {
      Objects.requireNonNull(epoch, "epoch");
    }

    @Override
    public Instant apply(Instant source) {
      return source.isAfter(epoch) ? epoch : source;
    }

    @Override
    public Instant markerTime() {
      return epoch;
    }
  }

  /** Every entry at {@code epoch}. */
  record Rewrite(Instant epoch) implements TimestampPolicy {
    public Rewrite {
      Objects.requireNonNull(epoch, "epoch");
    }

    @Override
    public Instant apply(Instant source) {
      return epoch;
    }

    @Override
    public Instant markerTime() {
      return epoch;
    }
  }
}
