package io.slipway.build.dockerfile;

import java.util.Objects;

/**
 * One {@code key=value} of ENV or LABEL, both still unexpanded and with their quotes, as written.
 * Immutable.
 */
public record KeyValue(String key, String value) {
  public KeyValue {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
  }
}
