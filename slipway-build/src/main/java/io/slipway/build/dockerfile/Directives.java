package io.slipway.build.dockerfile;

import java.util.Objects;
import java.util.Optional;

/**
 * The parser directives at the top of a Dockerfile: {@code # syntax=}, {@code # escape=} and
 * {@code # check=}. The escape character is a backslash unless {@code # escape=`} was given. Each
 * directive location is kept so that lint can point at it. Immutable.
 */
public record Directives(
    Optional<String> syntax, char escape, Optional<String> check, Optional<Location> checkLocation) {

  /** The directives of a Dockerfile that has none. */
  public static final Directives DEFAULT =
      new Directives(Optional.empty(), '\\', Optional.empty(), Optional.empty());

  public Directives {
    Objects.requireNonNull(syntax, "syntax");
    Objects.requireNonNull(check, "check");
    Objects.requireNonNull(checkLocation, "checkLocation");
    if (escape != '\\' && escape != '`') {
      throw new IllegalArgumentException("escape must be \\ or `");
    }
  }
}
