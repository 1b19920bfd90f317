package io.slipway.build.dockerfile;

import java.util.Objects;
import java.util.Optional;

/**
 * One name of an ARG instruction with its optional default value, unexpanded. Immutable.
 */
public record ArgDeclaration(String name, Optional<String> defaultValue) {
  public ArgDeclaration {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(defaultValue, "defaultValue");
  }
}
