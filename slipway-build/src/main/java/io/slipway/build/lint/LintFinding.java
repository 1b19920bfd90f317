package io.slipway.build.lint;

import io.slipway.build.dockerfile.Location;
import java.util.Objects;

/** One lint warning: the rule, where it applies, and a message naming the culprit. Immutable. */
public record LintFinding(LintRule rule, Location location, String message) {

  public LintFinding {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(message, "message");
  }

  /** {@code Dockerfile:3:1: JSONArgsRecommended: message}. */
  public String format(String file) {
    return file + ":" + location.line() + ":" + location.column() + ": " + rule.ruleName() + ": "
        + message;
  }
}
