package io.slipway.build.graph;

import io.slipway.build.dockerfile.Instruction;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One build stage as written: its index, its FROM, and the instructions up to the next FROM.
 * Immutable.
 */
public record StageDefinition(int index, Instruction.From from, List<Instruction> instructions) {

  public StageDefinition {
    Objects.requireNonNull(from, "from");
    instructions = List.copyOf(instructions);
  }

  /** The lower-cased {@code AS} name, if any. */
  public Optional<String> name() {
    return from.stageName();
  }

  /** The name if there is one, else the index, as progress and errors show a stage. */
  public String displayName() {
    return name().orElse(String.valueOf(index));
  }

  /**
   * The description shown by {@code --call=targets}: the comment lines right above FROM, with a
   * leading stage name dropped ({@code # build compiles the app} describes {@code build}).
   */
  public String description() {
    String text = String.join(" ", from.origin().comments()).strip();
    Optional<String> name = from.stageNameAsWritten();
    if (name.isPresent() && text.regionMatches(true, 0, name.get() + " ", 0, name.get().length() + 1)) {
      text = text.substring(name.get().length() + 1).strip();
    }
    return text;
  }
}
