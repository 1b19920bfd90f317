package io.slipway.build.dockerfile;

import java.util.Objects;

/**
 * Something the parser accepted but the reference builder warns about, such as an empty line inside
 * a continuation. Lint turns these into rule findings. Immutable.
 */
public record ParseWarning(String rule, Location location, String message) {

  public ParseWarning {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(message, "message");
  }
}
