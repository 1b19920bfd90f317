package io.slipway.build.graph;

import io.slipway.build.dockerfile.ArgDeclaration;
import io.slipway.build.dockerfile.Dockerfile;
import io.slipway.build.dockerfile.DockerfileException;
import io.slipway.build.dockerfile.ExpansionException;
import io.slipway.build.dockerfile.Instruction;
import io.slipway.build.dockerfile.Location;
import io.slipway.build.dockerfile.MountSpec;
import io.slipway.build.dockerfile.RunMount;
import io.slipway.build.dockerfile.ShellLexer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What {@code --call=outline} shows for a target: the build args it can take (with default values
 * and the comment above each ARG as description), and the secrets and SSH agents its RUN steps
 * mount. Only stages the target needs are considered. Immutable.
 */
public record Outline(
    String target,
    String description,
    List<BuildArg> args,
    List<SecretUse> secrets,
    List<SshUse> ssh) {

  /** A build arg: its name, default value (if any), description and declaration. Immutable. */
  public record BuildArg(
      String name, Optional<String> defaultValue, String description, Location location) {}

  /** A secret id a RUN mounts and whether the step requires it. Immutable. */
  public record SecretUse(String id, boolean required, Location location) {}

  /** An SSH agent id a RUN mounts and whether the step requires it. Immutable. */
  public record SshUse(String id, boolean required, Location location) {}

  public Outline {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(description, "description");
    args = List.copyOf(args);
    secrets = List.copyOf(secrets);
    ssh = List.copyOf(ssh);
  }

  /** The outline of {@code options.target()} (or the last stage) of {@code dockerfile}. */
  public static Outline of(Dockerfile dockerfile, BuildOptions options) {
    DockerfileStages stages = DockerfileStages.of(dockerfile);
    StageDefinition target =
        options.target()
            .map(name -> stages.byName(name).orElseThrow(() -> new DockerfileException(
                DockerfileException.Kind.INVALID_STAGE, dockerfile.file(), Location.lineStart(1),
                "", "target stage \"" + name + "\" could not be found")))
            .orElse(stages.last());
    ShellLexer lexer = ShellLexer.of(dockerfile.directives().escape());
    Map<String, String> globals = new LinkedHashMap<>(GraphBuilder.platformArgs(options));
    for (Instruction.Arg arg : stages.globalArgs()) {
      for (ArgDeclaration declaration : arg.declarations()) {
        declaration.defaultValue().ifPresent(
            value -> globals.put(declaration.name(), quiet(lexer, value, globals)));
      }
    }
    List<StageDefinition> needed = reachable(stages, target, lexer, globals);
    Map<String, BuildArg> args = new LinkedHashMap<>();
    // Global ARGs count when a needed FROM uses them or a needed stage re-declares them.
    for (Instruction.Arg arg : stages.globalArgs()) {
      for (ArgDeclaration declaration : arg.declarations()) {
        boolean used = false;
        for (StageDefinition stage : needed) {
          used |= uses(lexer, stage.from().image(), declaration.name())
              || stage.from().platform().map(p -> uses(lexer, p, declaration.name())).orElse(false)
              || redeclares(stage, declaration.name());
        }
        if (used) {
          args.put(declaration.name(), new BuildArg(declaration.name(),
              declaration.defaultValue().map(v -> quiet(lexer, v, globals)),
              describe(arg, declaration.name()), arg.origin().location()));
        }
      }
    }
    List<SecretUse> secrets = new ArrayList<>();
    List<SshUse> ssh = new ArrayList<>();
    for (StageDefinition stage : needed) {
      for (Instruction instruction : stage.instructions()) {
        if (instruction instanceof Instruction.Arg arg) {
          for (ArgDeclaration declaration : arg.declarations()) {
            if (!args.containsKey(declaration.name())
                && !GraphBuilder.PLATFORM_ARGS.contains(declaration.name())) {
              args.put(declaration.name(), new BuildArg(declaration.name(),
                  declaration.defaultValue(), describe(arg, declaration.name()),
                  arg.origin().location()));
            }
          }
        } else if (instruction instanceof Instruction.Run run) {
          int sshIndex = 0;
          for (MountSpec spec : run.mounts()) {
            RunMount mount;
            try {
              mount = spec.resolve(word -> word, dockerfile.file(), sshIndex);
            } catch (DockerfileException e) {
              continue;
            }
            switch (mount) {
              case RunMount.Secret secret ->
                  secrets.add(new SecretUse(secret.id(), secret.required(), spec.location()));
              case RunMount.Ssh agent -> {
                sshIndex++;
                ssh.add(new SshUse(agent.id(), agent.required(), spec.location()));
              }
              default -> {}
            }
          }
        }
      }
    }
    return new Outline(target.displayName(), target.description(), new ArrayList<>(args.values()),
        secrets, ssh);
  }

  /**
   * The comment above an ARG, with a leading ARG name dropped ({@code # VERSION of the app}
   * describes {@code VERSION} as "of the app"), like a stage description.
   */
  private static String describe(Instruction.Arg arg, String name) {
    String text = String.join(" ", arg.origin().comments()).strip();
    if (text.startsWith(name + " ")) {
      text = text.substring(name.length() + 1).strip();
    }
    return text;
  }

  private static boolean redeclares(StageDefinition stage, String name) {
    for (Instruction instruction : stage.instructions()) {
      if (instruction instanceof Instruction.Arg arg
          && arg.declarations().stream().anyMatch(d -> d.name().equals(name))) {
        return true;
      }
    }
    return false;
  }

  private static boolean uses(ShellLexer lexer, String word, String name) {
    try {
      return lexer.expand(word, Map.of()).used().contains(name);
    } catch (ExpansionException e) {
      return false;
    }
  }

  private static String quiet(ShellLexer lexer, String word, Map<String, String> env) {
    try {
      return lexer.expandWord(word, env);
    } catch (ExpansionException e) {
      return word;
    }
  }

  /** Stages {@code target} needs, in file order, following FROM and --from names. */
  static List<StageDefinition> reachable(
      DockerfileStages stages, StageDefinition target, ShellLexer lexer,
      Map<String, String> globals) {
    TreeSet<Integer> seen = new TreeSet<>();
    Deque<StageDefinition> work = new ArrayDeque<>();
    work.push(target);
    while (!work.isEmpty()) {
      StageDefinition stage = work.pop();
      if (!seen.add(stage.index())) {
        continue;
      }
      // FROM can only name an earlier stage; --from may name any stage.
      String base = quiet(lexer, stage.from().image(), globals).toLowerCase(Locale.ROOT);
      stages.stages().subList(0, stage.index()).stream()
          .filter(s -> s.name().filter(base::equals).isPresent())
          .reduce((a, b) -> b)
          .ifPresent(work::push);
      List<String> references = new ArrayList<>();
      for (Instruction instruction : stage.instructions()) {
        switch (instruction) {
          case Instruction.Copy copy -> copy.from().ifPresent(references::add);
          case Instruction.Run run -> {
            for (MountSpec spec : run.mounts()) {
              spec.options().stream()
                  .filter(o -> o.key().equals("from"))
                  .forEach(o -> o.value().ifPresent(references::add));
            }
          }
          default -> {}
        }
      }
      for (String reference : references) {
        String name = quiet(lexer, reference, globals).toLowerCase(Locale.ROOT);
        if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
          if (name.length() < 9 && Integer.parseInt(name) < stages.stages().size()) {
            work.push(stages.stages().get(Integer.parseInt(name)));
          }
        } else {
          stages.byName(name).ifPresent(work::push);
        }
      }
    }
    List<StageDefinition> result = new ArrayList<>();
    for (int index : seen) {
      result.add(stages.stages().get(index));
    }
    return result;
  }

  /** The outline as {@code docker buildx build --call=outline} prints it. */
  public String render() {
    StringBuilder out = new StringBuilder();
    out.append("TARGET:      ").append(target).append('\n');
    if (!description.isEmpty()) {
      out.append("DESCRIPTION: ").append(description).append('\n');
    }
    if (!args.isEmpty()) {
      out.append('\n');
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"BUILD ARG", "VALUE", "DESCRIPTION"});
      for (BuildArg arg : args) {
        rows.add(new String[] {arg.name(), arg.defaultValue().orElse("<null>"), arg.description()});
      }
      table(out, rows);
    }
    if (!secrets.isEmpty()) {
      out.append('\n');
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"SECRET", "REQUIRED"});
      for (SecretUse secret : secrets) {
        rows.add(new String[] {secret.id(), secret.required() ? "true" : ""});
      }
      table(out, rows);
    }
    if (!ssh.isEmpty()) {
      out.append('\n');
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"SSH", "REQUIRED"});
      for (SshUse agent : ssh) {
        rows.add(new String[] {agent.id(), agent.required() ? "true" : ""});
      }
      table(out, rows);
    }
    return out.toString();
  }

  static void table(StringBuilder out, List<String[]> rows) {
    int columns = rows.getFirst().length;
    int[] widths = new int[columns];
    for (String[] row : rows) {
      for (int i = 0; i < columns; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < columns; i++) {
        line.append(row[i]);
        if (i < columns - 1) {
          line.append(" ".repeat(widths[i] - row[i].length() + 3));
        }
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
  }
}
