package io.slipway.build.dockerfile;

import java.util.List;
import java.util.Objects;

/**
 * A parsed Dockerfile: its parser directives, its instructions in order, and the warnings the
 * parser noted on the way. Produced by {@link DockerfileParser}. Immutable.
 */
public record Dockerfile(
    String file, Directives directives, List<Instruction> instructions, List<ParseWarning> warnings) {

  public Dockerfile {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(directives, "directives");
    instructions = List.copyOf(instructions);
    warnings = List.copyOf(warnings);
  }
}
