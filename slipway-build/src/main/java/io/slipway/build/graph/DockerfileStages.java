package io.slipway.build.graph;

import io.slipway.build.dockerfile.Location;
import io.slipway.build.dockerfile.Dockerfile;
import io.slipway.build.dockerfile.DockerfileException;
import io.slipway.build.dockerfile.Instruction;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A Dockerfile split into its global ARGs (those before the first FROM) and its stages. Immutable.
 */
public record DockerfileStages(
    Dockerfile dockerfile, List<Instruction.Arg> globalArgs, List<StageDefinition> stages) {

  public DockerfileStages {
    Objects.requireNonNull(dockerfile, "dockerfile");
    globalArgs = List.copyOf(globalArgs);
    stages = List.copyOf(stages);
  }

  /**
   * Splits {@code dockerfile}; fails when it has no FROM or has an instruction other than ARG
   * before the first FROM.
   */
  public static DockerfileStages of(Dockerfile dockerfile) {
    List<Instruction.Arg> global = new ArrayList<>();
    List<StageDefinition> stages = new ArrayList<>();
    Instruction.From from = null;
    List<Instruction> body = new ArrayList<>();
    for (Instruction instruction : dockerfile.instructions()) {
      if (instruction instanceof Instruction.From next) {
        if (from != null) {
          stages.add(new StageDefinition(stages.size(), from, body));
        }
        from = next;
        body = new ArrayList<>();
      } else if (from == null) {
        if (instruction instanceof Instruction.Arg arg) {
          global.add(arg);
        } else {
          throw new DockerfileException(
              DockerfileException.Kind.NO_STAGE, dockerfile.file(),
              instruction.origin().location(), instruction.origin().text(),
              instruction.keyword() + " before the first FROM: only ARG may come before FROM");
        }
      } else {
        body.add(instruction);
      }
    }
    if (from == null) {
      throw new DockerfileException(
          DockerfileException.Kind.NO_STAGE, dockerfile.file(),
          Location.lineStart(1), "",
          "the Dockerfile has no FROM instruction, so there is no stage to build");
    }
    stages.add(new StageDefinition(stages.size(), from, body));
    return new DockerfileStages(dockerfile, global, stages);
  }

  /** The stage called {@code name} (case-insensitive), the last one if several share it. */
  public Optional<StageDefinition> byName(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    StageDefinition found = null;
    for (StageDefinition stage : stages) {
      if (stage.name().filter(lower::equals).isPresent()) {
        found = stage;
      }
    }
    return Optional.ofNullable(found);
  }

  /** The default target: the last stage. */
  public StageDefinition last() {
    return stages.getLast();
  }
}
