package io.slipway.diff.structured;

import java.nio.file.Path;
import java.util.Locale;

/** The syntax of a structured document, chosen from the file name (JSON when unknown). Immutable. */
public enum DocumentFormat {
  JSON,
  /** YAML 1.1 as Jackson reads it; a stream of several documents is compared as an array. */
  YAML;

  /** {@code .yaml} and {@code .yml} are YAML; everything else is read as JSON. */
  public static DocumentFormat of(Path path) {
    String name = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".yaml") || name.endsWith(".yml") ? YAML : JSON;
  }
}
