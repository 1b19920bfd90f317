package io.slipway.build.lint;

import io.slipway.build.context.Dockerignore;
import io.slipway.build.context.PathNames;
import io.slipway.build.dockerfile.ArgDeclaration;
import io.slipway.build.dockerfile.Dockerfile;
import io.slipway.build.dockerfile.DockerfileParser;
import io.slipway.build.dockerfile.ExpansionException;
import io.slipway.build.dockerfile.Instruction;
import io.slipway.build.dockerfile.KeyValue;
import io.slipway.build.dockerfile.Location;
import io.slipway.build.dockerfile.ParseWarning;
import io.slipway.build.dockerfile.ShellLexer;
import io.slipway.build.graph.BuildOptions;
import io.slipway.build.graph.DockerfileStages;
import io.slipway.build.graph.GraphBuilder;
import io.slipway.build.graph.ImageResolver;
import io.slipway.build.graph.StageDefinition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Runs the lint rules of {@link LintRule} over a parsed Dockerfile, honouring
 * {@code # check=skip=…;error=true}. Works on the parse and the stage structure only, so it also
 * reports on stages the target does not need. Variables a base image may define are only reported
 * when the base image's config is known (scratch, an earlier stage rooted in a known image, or an
 * image the {@link ImageResolver} resolved); otherwise only near-misses of a defined name are.
 *
 * <p>Stateless and thread-safe; each call has its own state.
 */
public final class Linter {

  private static final Pattern SECRET =
      Pattern.compile(
          "(?i)(?:_|^)(?:apikey|auth|credential|credentials|key|password|pword|passwd|secret|token)"
              + "(?:_|$)");
  private static final Pattern NOT_SECRET = Pattern.compile("(?i)(?:_|^)(?:public)(?:_|$)");
  private static final Pattern REFERENCE =
      Pattern.compile(
          "(?:[a-zA-Z0-9.-]+(?::\\d+)?/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
              + "(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[\\w][\\w.-]{0,127})?"
              + "(?:@[a-z0-9]+:[a-fA-F0-9]{32,})?");
  private static final Set<String> RESERVED = Set.of("scratch", "context");

  private Linter() {}

  /** Lints {@code dockerfile} with the build args and platforms of {@code options}. */
  public static LintReport check(
      Dockerfile dockerfile, BuildOptions options, ImageResolver resolver) {
    CheckDirective directive =
        dockerfile.directives().check()
            .or(() -> Optional.ofNullable(options.buildArgs().get("BUILDKIT_DOCKERFILE_CHECK")))
            .map(CheckDirective::parse)
            .orElse(CheckDirective.DEFAULT);
    Run run = new Run(dockerfile, options, resolver, directive);
    run.lint();
    run.findings.sort(Comparator.comparing(LintFinding::location));
    return new LintReport(
        dockerfile.file(), run.findings, directive.error() && !run.findings.isEmpty());
  }

  private static final class Run {
    private final Dockerfile dockerfile;
    private final BuildOptions options;
    private final ImageResolver resolver;
    private final CheckDirective directive;
    private final ShellLexer lexer;
    private final Dockerignore ignore;
    final List<LintFinding> findings = new ArrayList<>();

    Run(Dockerfile dockerfile, BuildOptions options, ImageResolver resolver,
        CheckDirective directive) {
      this.dockerfile = dockerfile;
      this.options = options;
      this.resolver = resolver;
      this.directive = directive;
      this.lexer = ShellLexer.of(dockerfile.directives().escape());
      this.ignore =
          options.ignorePatterns().isEmpty()
              ? null
              : Dockerignore.parse(
                  ".dockerignore", String.join("\n", options.ignorePatterns()));
    }

    void report(LintRule rule, Location location, String message) {
      if (!directive.skips(rule)) {
        findings.add(new LintFinding(rule, location, message));
      }
    }

    void lint() {
      for (ParseWarning warning : dockerfile.warnings()) {
        if (warning.rule().equals(LintRule.NO_EMPTY_CONTINUATION.ruleName())) {
          report(LintRule.NO_EMPTY_CONTINUATION, warning.location(), warning.message());
        }
      }
      casing();
      DockerfileStages stages = DockerfileStages.of(dockerfile);
      Set<String> globalDeclared = new HashSet<>(GraphBuilder.PLATFORM_ARGS);
      Map<String, String> globalDefaults = new LinkedHashMap<>(GraphBuilder.platformArgs(options));
      for (Instruction.Arg arg : stages.globalArgs()) {
        for (ArgDeclaration declaration : arg.declarations()) {
          secrets(arg, "ARG", declaration.name());
          declaration.defaultValue().ifPresent(
              value -> undefined(arg, value, globalDeclared, true));
          globalDeclared.add(declaration.name());
          declaration.defaultValue().ifPresentOrElse(
              value -> globalDefaults.put(declaration.name(), quietExpand(value, globalDefaults)),
              () -> globalDefaults.remove(declaration.name()));
        }
      }
      Map<String, StageFacts> facts = new HashMap<>();
      Set<String> seenNames = new HashSet<>();
      for (StageDefinition stage : stages.stages()) {
        Instruction.From from = stage.from();
        fromChecks(from, seenNames, globalDeclared, globalDefaults);
        String base = quietExpand(from.image(), globalDefaults).toLowerCase(Locale.ROOT);
        StageFacts parent = facts.get(base);
        StageFacts current;
        if (base.equals("scratch")) {
          current = new StageFacts(true, new HashSet<>(), false);
        } else if (parent != null) {
          current = new StageFacts(parent.known, new HashSet<>(parent.env), parent.workdirSet);
        } else {
          ImageResolver.ResolvedImage image =
              resolver.resolve(base, options.targetPlatform());
          Set<String> env = new HashSet<>();
          image.config().env().forEach(e -> env.add(e.substring(0, Math.max(0, e.indexOf('=')))));
          current =
              new StageFacts(image.known(), env, !image.config().workingDir().isEmpty());
        }
        body(stage, current);
        stage.name().ifPresent(name -> facts.put(name, current));
      }
    }

    private void casing() {
      int upper = 0;
      int lower = 0;
      for (Instruction instruction : dockerfile.instructions()) {
        String keyword = instruction.origin().keyword();
        if (keyword.equals(keyword.toUpperCase(Locale.ROOT))) {
          upper++;
        } else if (keyword.equals(keyword.toLowerCase(Locale.ROOT))) {
          lower++;
        }
      }
      boolean majorityLower = lower > upper;
      for (Instruction instruction : dockerfile.instructions()) {
        String keyword = instruction.origin().keyword();
        String expected =
            majorityLower ? keyword.toLowerCase(Locale.ROOT) : keyword.toUpperCase(Locale.ROOT);
        if (!keyword.equals(expected)) {
          report(
              LintRule.CONSISTENT_INSTRUCTION_CASING, instruction.origin().location(),
              "Command '" + keyword + "' should match the case of the command majority ("
                  + (majorityLower ? "lowercase" : "uppercase") + ")");
        }
      }
    }

    private void fromChecks(
        Instruction.From from,
        Set<String> seenNames,
        Set<String> globalDeclared,
        Map<String, String> globalDefaults) {
      Location at = from.origin().location();
      String keyword = from.origin().keyword();
      from.asKeyword().ifPresent(as -> {
        boolean fromUpper = keyword.equals(keyword.toUpperCase(Locale.ROOT));
        boolean asUpper = as.equals(as.toUpperCase(Locale.ROOT));
        boolean fromLower = keyword.equals(keyword.toLowerCase(Locale.ROOT));
        boolean asLower = as.equals(as.toLowerCase(Locale.ROOT));
        if ((fromUpper && !asUpper) || (fromLower && !asLower)) {
          report(LintRule.FROM_AS_CASING, at,
              "'" + as + "' and '" + keyword + "' keywords' casing do not match");
        }
      });
      from.platform().ifPresent(platform -> {
        if (platform.equals("$TARGETPLATFORM") || platform.equals("${TARGETPLATFORM}")) {
          report(LintRule.REDUNDANT_TARGET_PLATFORM, at,
              "Setting platform to predefined " + platform + " in FROM is redundant as this is"
                  + " the default behavior");
        } else if (!platform.contains("$")) {
          report(LintRule.FROM_PLATFORM_FLAG_CONST_DISALLOWED, at,
              "FROM --platform flag should not use constant value \"" + platform + "\"");
        }
      });
      from.stageNameAsWritten().ifPresent(name -> {
        String lower = name.toLowerCase(Locale.ROOT);
        if (!name.equals(lower)) {
          report(LintRule.STAGE_NAME_CASING, at, "Stage name '" + name + "' should be lowercase");
        }
        if (!seenNames.add(lower)) {
          report(LintRule.DUPLICATE_STAGE_NAME, at,
              "Duplicate stage name \"" + lower + "\", stage names should be unique");
        }
        if (RESERVED.contains(lower)) {
          report(LintRule.RESERVED_STAGE_NAME, at,
              "Stage name should not use the same name as reserved stage \"" + lower + "\"");
        }
      });
      List<String> words = new ArrayList<>();
      words.add(from.image());
      from.platform().ifPresent(words::add);
      boolean allDeclared = true;
      for (String word : words) {
        for (String name : usedNames(word)) {
          if (!globalDeclared.contains(name)) {
            allDeclared = false;
            report(LintRule.UNDEFINED_ARG_IN_FROM, at,
                "FROM argument '" + name + "' is not declared"
                    + suggestion(name, globalDeclared).map(s -> " (did you mean " + s + "?)")
                        .orElse(""));
          }
        }
      }
      if (allDeclared && from.image().contains("$")) {
        String expanded = quietExpand(from.image(), globalDefaults);
        if (expanded.isEmpty() || !REFERENCE.matcher(expanded).matches()) {
          report(LintRule.INVALID_DEFAULT_ARG_IN_FROM, at,
              "Default value for ARG " + from.image()
                  + " results in empty or invalid base image name");
        }
      }
    }

    private void body(StageDefinition stage, StageFacts facts) {
      // ARGs do not carry into child stages, ENV does: only ENV names go back into the facts.
      Set<String> defined = new HashSet<>(facts.env);
      Map<String, List<Instruction>> singles = new LinkedHashMap<>();
      boolean workdirSet = facts.workdirSet;
      for (Instruction instruction : stage.instructions()) {
        Location at = instruction.origin().location();
        switch (instruction) {
          case Instruction.Cmd cmd -> {
            singles.computeIfAbsent("CMD", k -> new ArrayList<>()).add(cmd);
            jsonArgs(cmd, cmd.command().execForm());
          }
          case Instruction.Entrypoint entrypoint -> {
            singles.computeIfAbsent("ENTRYPOINT", k -> new ArrayList<>()).add(entrypoint);
            jsonArgs(entrypoint, entrypoint.command().execForm());
          }
          case Instruction.Healthcheck check ->
              singles.computeIfAbsent("HEALTHCHECK", k -> new ArrayList<>()).add(check);
          case Instruction.Maintainer maintainer ->
              report(LintRule.MAINTAINER_DEPRECATED, at,
                  "Maintainer instruction is deprecated in favor of using label");
          case Instruction.Env env -> {
            if (env.legacyForm()) {
              report(LintRule.LEGACY_KEY_VALUE_FORMAT, at,
                  "\"ENV key=value\" should be used instead of legacy \"ENV key value\" format");
            }
            for (KeyValue pair : env.variables()) {
              undefined(env, pair.key(), defined, facts.known);
              undefined(env, pair.value(), defined, facts.known);
              secrets(env, "ENV", pair.key());
              defined.add(pair.key());
              facts.env.add(pair.key());
            }
          }
          case Instruction.Label label -> {
            if (label.legacyForm()) {
              report(LintRule.LEGACY_KEY_VALUE_FORMAT, at,
                  "\"LABEL key=value\" should be used instead of legacy \"LABEL key value\""
                      + " format");
            }
            for (KeyValue pair : label.labels()) {
              undefined(label, pair.key(), defined, facts.known);
              undefined(label, pair.value(), defined, facts.known);
            }
          }
          case Instruction.Arg arg -> {
            for (ArgDeclaration declaration : arg.declarations()) {
              secrets(arg, "ARG", declaration.name());
              declaration.defaultValue().ifPresent(v -> undefined(arg, v, defined, facts.known));
              defined.add(declaration.name());
            }
          }
          case Instruction.Workdir workdir -> {
            String path = workdir.path();
            boolean windowsAbsolute =
                path.length() >= 3 && Character.isLetter(path.charAt(0)) && path.charAt(1) == ':'
                    && (path.charAt(2) == '\\' || path.charAt(2) == '/');
            if (!path.startsWith("/") && !path.startsWith("$") && !windowsAbsolute
                && !workdirSet) {
              report(LintRule.WORKDIR_RELATIVE_PATH, at,
                  "Relative workdir \"" + path + "\" can have unexpected results if the base image"
                      + " changes");
            }
            workdirSet = true;
            undefined(workdir, path, defined, facts.known);
          }
          case Instruction.Copy copy -> {
            for (String word : copy.sources()) {
              undefined(copy, word, defined, facts.known);
            }
            if (copy.from().isEmpty()) {
              ignoredSources(copy, copy.sources());
            }
            undefined(copy, copy.destination(), defined, facts.known);
            copy.chown().ifPresent(w -> undefined(copy, w, defined, facts.known));
            copy.from().ifPresent(w -> undefined(copy, w, defined, facts.known));
          }
          case Instruction.Add add -> {
            for (String word : add.sources()) {
              undefined(add, word, defined, facts.known);
            }
            ignoredSources(add, add.sources());
            undefined(add, add.destination(), defined, facts.known);
            add.chown().ifPresent(w -> undefined(add, w, defined, facts.known));
          }
          case Instruction.User user -> undefined(user, user.user(), defined, facts.known);
          case Instruction.Expose expose -> {
            for (String port : expose.ports()) {
              undefined(expose, port, defined, facts.known);
              int slash = port.indexOf('/');
              if (slash >= 0 && !port.substring(slash).equals(
                  port.substring(slash).toLowerCase(Locale.ROOT))) {
                report(LintRule.EXPOSE_PROTO_CASING, at,
                    "Defined protocol '" + port + "' in EXPOSE instruction should be lowercase");
              }
            }
          }
          case Instruction.Volume volume ->
              volume.paths().forEach(p -> undefined(volume, p, defined, facts.known));
          case Instruction.Stopsignal stop ->
              undefined(stop, stop.signal(), defined, facts.known);
          case Instruction.From from -> {}
          case Instruction.Run run -> {}
          case Instruction.Shell shell -> {}
          case Instruction.Onbuild onbuild -> {}
        }
      }
      facts.workdirSet = workdirSet;
      singles.forEach((keyword, list) -> {
        for (Instruction earlier : list.subList(0, list.size() - 1)) {
          report(LintRule.MULTIPLE_INSTRUCTIONS_DISALLOWED, earlier.origin().location(),
              "Multiple " + keyword + " instructions should not be used in the same stage because"
                  + " only the last one will be used");
        }
      });
    }

    /** Reports local sources that the context's .dockerignore leaves out. */
    private void ignoredSources(Instruction instruction, List<String> sources) {
      if (ignore == null) {
        return;
      }
      for (String source : sources) {
        String lower = source.toLowerCase(Locale.ROOT);
        if (source.contains("$") || lower.startsWith("http://") || lower.startsWith("https://")
            || lower.startsWith("git@") || lower.startsWith("git://")) {
          continue;
        }
        String path = PathNames.clean(source);
        while (path.startsWith("/")) {
          path = path.substring(1);
        }
        if (!path.equals(".") && !path.isEmpty() && ignore.isIgnored(path)) {
          report(LintRule.COPY_IGNORED_FILE, instruction.origin().location(),
              "Attempting to Copy file \"" + source + "\" that is excluded by .dockerignore");
        }
      }
    }

    private void jsonArgs(Instruction instruction, boolean execForm) {
      if (!execForm) {
        report(LintRule.JSON_ARGS_RECOMMENDED, instruction.origin().location(),
            "JSON arguments recommended for " + instruction.keyword()
                + " to prevent unintended behavior related to OS signals");
      }
    }

    private void secrets(Instruction instruction, String keyword, String name) {
      if (SECRET.matcher(name).find() && !NOT_SECRET.matcher(name).find()) {
        report(LintRule.SECRETS_USED_IN_ARG_OR_ENV, instruction.origin().location(),
            "Do not use ARG or ENV instructions for sensitive data (" + keyword + " \"" + name
                + "\")");
      }
    }

    /** Reports variables of {@code word} that are not defined at this point. */
    private void undefined(Instruction instruction, String word, Set<String> defined,
        boolean baseKnown) {
      if (!word.contains("$")) {
        return;
      }
      Map<String, String> env = new HashMap<>();
      defined.forEach(name -> env.put(name, "x"));
      GraphBuilder.PROXY_ARGS.forEach(name -> env.put(name, "x"));
      Set<String> unset;
      try {
        unset = lexer.expand(word, env).unset();
      } catch (ExpansionException e) {
        return;
      }
      for (String name : unset) {
        Optional<String> suggestion = suggestion(name, defined);
        if (baseKnown || suggestion.isPresent()) {
          report(LintRule.UNDEFINED_VAR, instruction.origin().location(),
              "Usage of undefined variable '$" + name + "'"
                  + suggestion.map(s -> " (did you mean $" + s + "?)").orElse(""));
        }
      }
    }

    private Set<String> usedNames(String word) {
      try {
        return lexer.expand(word, Map.of()).used();
      } catch (ExpansionException e) {
        return Set.of();
      }
    }

    private String quietExpand(String word, Map<String, String> env) {
      try {
        return lexer.expandWord(word, env);
      } catch (ExpansionException e) {
        return "";
      }
    }

    private static Optional<String> suggestion(String name, Set<String> candidates) {
      String best = null;
      int bestDistance = Integer.MAX_VALUE;
      for (String candidate : candidates.stream().sorted().toList()) {
        int distance = DockerfileParser.distance(name.toLowerCase(Locale.ROOT),
            candidate.toLowerCase(Locale.ROOT));
        int limit = Math.min(2, name.length() / 3);
        if (distance <= limit && distance < bestDistance) {
          best = candidate;
          bestDistance = distance;
        }
      }
      return Optional.ofNullable(best);
    }
  }

  /** What lint knows about a stage's base; confined to one lint run. */
  private static final class StageFacts {
    final boolean known;
    final Set<String> env;
    boolean workdirSet;

    StageFacts(boolean known, Set<String> env, boolean workdirSet) {
      this.known = known;
      this.env = env;
      this.workdirSet = workdirSet;
    }
  }
}
