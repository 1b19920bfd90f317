package io.slipway.build.graph;

import io.slipway.build.dockerfile.Dockerfile;
import io.slipway.build.dockerfile.Location;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code --call=targets} shows: every stage that can be built by name, with the description
 * from the comment above its FROM, and which one is the default. Immutable.
 */
public record Targets(List<Target> targets) {

  /** A buildable stage: its name (the index for an unnamed last stage). Immutable. */
  public record Target(String name, String description, String base, boolean isDefault,
      Location location) {}

  public Targets {
    targets = List.copyOf(targets);
  }

  /** The targets of {@code dockerfile}. */
  public static Targets of(Dockerfile dockerfile) {
    DockerfileStages stages = DockerfileStages.of(dockerfile);
    List<Target> targets = new ArrayList<>();
    StageDefinition last = stages.last();
    for (StageDefinition stage : stages.stages()) {
      boolean isDefault = stage.index() == last.index();
      if (stage.name().isEmpty() && !isDefault) {
        continue;
      }
      // A later stage of the same name shadows an earlier one.
      if (stage.name().isPresent()
          && stages.byName(stage.name().get()).orElseThrow().index() != stage.index()) {
        continue;
      }
      targets.add(new Target(stage.displayName(), stage.description(), stage.from().image(),
          isDefault, stage.from().origin().location()));
    }
    return new Targets(targets);
  }

  /** The targets as {@code docker buildx build --call=targets} prints them. */
  public String render() {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"TARGET", "DESCRIPTION"});
    for (Target target : targets) {
      rows.add(new String[] {
        target.name() + (target.isDefault() ? " (default)" : ""), target.description()});
    }
    StringBuilder out = new StringBuilder();
    Outline.table(out, rows);
    return out.toString();
  }
}
