package io.slipway.build.graph;

import io.slipway.build.dockerfile.SourceRange;
import io.slipway.build.context.PathNames;
import io.slipway.build.dockerfile.Location;
import io.slipway.build.dockerfile.Command;
import io.slipway.build.dockerfile.Chmod;
import io.slipway.build.dockerfile.Dockerfile;
import io.slipway.build.dockerfile.DockerfileException;
import io.slipway.build.dockerfile.DockerfileParser;
import io.slipway.build.dockerfile.ExpansionException;
import io.slipway.build.dockerfile.Heredoc;
import io.slipway.build.dockerfile.Instruction;
import io.slipway.build.dockerfile.KeyValue;
import io.slipway.build.dockerfile.MountSpec;
import io.slipway.build.dockerfile.RunMount;
import io.slipway.build.dockerfile.ShellLexer;
import io.slipway.oci.Digest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Turns a parsed Dockerfile into a {@link BuildGraph}: expands variables with the reference
 * builder's scoping (global ARGs for FROM lines, stage ARGs and ENV, build args, automatic platform
 * ARGs, predefined proxy ARGs), resolves stage references ({@code FROM stage}, {@code COPY
 * --from=stage|index|image}, {@code RUN --mount=from=…}), converts only the stages the target needs,
 * and rejects cycles.
 *
 * <p>Stateless and thread-safe; each {@link #build} call has its own conversion state. The
 * {@link ImageResolver} is called from the calling thread.
 */
public final class GraphBuilder {

  /** The ARGs every build predefines without an ARG instruction; kept out of history. */
  public static final Set<String> PROXY_ARGS =
      Set.of(
          "HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY", "ftp_proxy",
          "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy");

  /** The automatic platform ARGs, in the global scope without declaration. */
  public static final List<String> PLATFORM_ARGS =
      List.of(
          "BUILDPLATFORM", "BUILDOS", "BUILDARCH", "BUILDVARIANT", "TARGETPLATFORM", "TARGETOS",
          "TARGETARCH", "TARGETVARIANT");

  /** The PATH a RUN step gets when neither the base image nor the Dockerfile sets one. */
  public static final String DEFAULT_PATH =
      "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private static final Pattern SIGNAL = Pattern.compile("(SIG)?[A-Z][A-Z0-9]*([+-]\\d+)?|\\d+");
  private static final Pattern PORT = Pattern.compile("\\d+(-\\d+)?(/[a-zA-Z]+)?");

  private GraphBuilder() {}

  /** Converts {@code dockerfile} for {@code options}, resolving base images with {@code resolver}. */
  public static BuildGraph build(
      Dockerfile dockerfile, BuildOptions options, ImageResolver resolver) {
    return new Conversion(DockerfileStages.of(dockerfile), options, resolver).run();
  }

  /** The values of the automatic platform ARGs for {@code options}. */
  public static Map<String, String> platformArgs(BuildOptions options) {
    Map<String, String> args = new LinkedHashMap<>();
    Platform build = options.buildPlatform();
    Platform target = options.targetPlatform();
    args.put("BUILDPLATFORM", build.toString());
    args.put("BUILDOS", build.os());
    args.put("BUILDARCH", build.architecture());
    args.put("BUILDVARIANT", build.variant());
    args.put("TARGETPLATFORM", target.toString());
    args.put("TARGETOS", target.os());
    args.put("TARGETARCH", target.architecture());
    args.put("TARGETVARIANT", target.variant());
    return args;
  }

  /** The global (pre-FROM) ARG values: build args override defaults; undeclared names are absent. */
  static Map<String, String> globalArgs(
      DockerfileStages stages, BuildOptions options, ShellLexer lexer) {
    Map<String, String> env = new LinkedHashMap<>(platformArgs(options));
    for (Instruction.Arg arg : stages.globalArgs()) {
      for (var declaration : arg.declarations()) {
        String value = options.buildArgs().get(declaration.name());
        if (value == null && declaration.defaultValue().isPresent()) {
          try {
            value = lexer.expandWord(declaration.defaultValue().get(), env);
          } catch (ExpansionException e) {
            throw e.at(
                stages.dockerfile().file(), arg.origin().argumentsLocation(), arg.origin().text());
          }
        }
        if (value != null) {
          env.put(declaration.name(), value);
        } else {
          env.remove(declaration.name());
        }
      }
    }
    return env;
  }

  private static final class Conversion {
    private final DockerfileStages stages;
    private final Dockerfile dockerfile;
    private final BuildOptions options;
    private final ImageResolver resolver;
    private final ShellLexer lexer;
    private final Map<String, String> globalEnv;
    private final Set<String> globalDeclared = new HashSet<>();
    private final Map<Integer, BuildStage> converted = new LinkedHashMap<>();
    private final Set<Integer> inProgress = new HashSet<>();
    private final Vertex scratch = Vertex.of(new Operation.Scratch(), List.of(), "scratch",
        Optional.empty());

    Conversion(DockerfileStages stages, BuildOptions options, ImageResolver resolver) {
      this.stages = stages;
      this.dockerfile = stages.dockerfile();
      this.options = options;
      this.resolver = resolver;
      this.lexer = ShellLexer.of(dockerfile.directives().escape());
      this.globalEnv = globalArgs(stages, options, lexer);
      for (Instruction.Arg arg : stages.globalArgs()) {
        arg.declarations().forEach(d -> globalDeclared.add(d.name()));
      }
    }

    BuildGraph run() {
      StageDefinition target =
          options.target()
              .map(name -> stages.byName(name).orElseThrow(() -> unknownTarget(name)))
              .orElse(stages.last());
      BuildStage result = convert(target.index());
      List<BuildStage> needed = new ArrayList<>(converted.values());
      needed.sort((a, b) -> Integer.compare(a.index(), b.index()));
      return BuildGraph.of(result, needed);
    }

    private DockerfileException unknownTarget(String name) {
      List<String> names = new ArrayList<>();
      stages.stages().forEach(s -> s.name().ifPresent(names::add));
      return new DockerfileException(
          DockerfileException.Kind.INVALID_STAGE, dockerfile.file(),
          Location.lineStart(1), "",
          "target stage \"" + name + "\" could not be found"
              + (names.isEmpty() ? " (the stages have no names)" : " (stages: "
                  + String.join(", ", names) + ")"));
    }

    private BuildStage convert(int index) {
      BuildStage done = converted.get(index);
      if (done != null) {
        return done;
      }
      StageDefinition definition = stages.stages().get(index);
      if (!inProgress.add(index)) {
        throw new DockerfileException(
            DockerfileException.Kind.INVALID_STAGE, dockerfile.file(),
            definition.from().origin().location(), definition.from().origin().text(),
            "circular dependency detected on stage: " + definition.displayName());
      }
      Instruction.From from = definition.from();
      Platform platform =
          from.platform()
              .map(p -> parsePlatform(from, expand(globalEnv, from, p)))
              .orElse(options.targetPlatform());
      String base = expand(globalEnv, from, from.image());
      if (base.isBlank()) {
        throw new DockerfileException(
            DockerfileException.Kind.INVALID_ARGUMENTS, dockerfile.file(),
            from.origin().argumentsLocation(), from.origin().text(),
            "base name (" + from.image() + ") should not be blank");
      }
      int steps = definition.instructions().size() + 1;
      State state;
      // Only an earlier stage can be a base, so FROM never forms a cycle and a stage may share
      // its base image's name (FROM golang AS golang).
      Optional<StageDefinition> parent =
          stages.stages().subList(0, index).stream()
              .filter(s -> s.name().filter(base.toLowerCase(Locale.ROOT)::equals).isPresent())
              .reduce((first, second) -> second);
      if (base.equalsIgnoreCase("scratch")) {
        state = new State(definition, scratch, ImageConfig.EMPTY, platform, steps);
      } else if (parent.isPresent()) {
        BuildStage parentStage = convert(parent.get().index());
        state =
            new State(
                definition, parentStage.root(), parentStage.config(),
                from.platform().isPresent() ? platform : parentStage.platform(), steps);
      } else {
        ImageResolver.ResolvedImage image = resolver.resolve(base, platform);
        Vertex root =
            Vertex.of(
                new Operation.Image(base, platform, image.digest()), List.of(),
                state(definition, 1, steps) + " FROM " + base, Optional.of(from.origin().range()));
        state = new State(definition, root, image.config(), platform, steps);
      }
      // ONBUILD triggers of the base run first, then are cleared, as in the reference builder.
      List<String> triggers = state.onBuild;
      state.onBuild = new ArrayList<>();
      for (String trigger : triggers) {
        Dockerfile parsed =
            DockerfileParser.parse(
                dockerfile.file() + " (ONBUILD of " + base + ")",
                (dockerfile.directives().escape() == '`' ? "# escape=`\n" : "") + trigger + "\n");
        for (Instruction instruction : parsed.instructions()) {
          dispatch(state, instruction);
        }
      }
      for (Instruction instruction : definition.instructions()) {
        state.step++;
        dispatch(state, instruction);
      }
      BuildStage stage =
          new BuildStage(
              index, definition.name(), state.root, state.config(), state.history, state.platform);
      inProgress.remove(index);
      converted.put(index, stage);
      return stage;
    }

    private Platform parsePlatform(Instruction instruction, String text) {
      try {
        return Platform.parse(text);
      } catch (IllegalArgumentException e) {
        throw new DockerfileException(
            DockerfileException.Kind.MALFORMED_FLAG, dockerfile.file(),
            instruction.origin().location(), "--platform=" + text, e.getMessage());
      }
    }

    private static String state(StageDefinition definition, int step, int steps) {
      return "[" + definition.displayName() + " " + step + "/" + steps + "]";
    }

    private String expand(Map<String, String> env, Instruction instruction, String word) {
      try {
        return lexer.expandWord(word, env);
      } catch (ExpansionException e) {
        throw e.at(dockerfile.file(), instruction.origin().argumentsLocation(),
            instruction.origin().text());
      }
    }

    private List<String> expandWords(Map<String, String> env, Instruction instruction, String text) {
      try {
        return lexer.expandWords(text, env);
      } catch (ExpansionException e) {
        throw e.at(dockerfile.file(), instruction.origin().argumentsLocation(),
            instruction.origin().text());
      }
    }

    private DockerfileException invalid(Instruction instruction, String detail) {
      return new DockerfileException(
          DockerfileException.Kind.INVALID_ARGUMENTS, dockerfile.file(),
          instruction.origin().location(), instruction.origin().text(), detail);
    }

    private void dispatch(State state, Instruction instruction) {
      Map<String, String> env = state.expansionEnv();
      switch (instruction) {
        case Instruction.From from ->
            throw invalid(from, "FROM inside a stage is a new stage, not an instruction");
        case Instruction.Arg arg -> {
          for (var declaration : arg.declarations()) {
            String name = declaration.name();
            String value;
            if (options.buildArgs().containsKey(name)) {
              value = options.buildArgs().get(name);
            } else if (declaration.defaultValue().isPresent()) {
              value = expand(state.expansionEnv(), arg, declaration.defaultValue().get());
            } else if (globalDeclared.contains(name) || PLATFORM_ARGS.contains(name)) {
              value = globalEnv.get(name);
            } else {
              value = null;
            }
            state.args.put(name, value);
          }
        }
        case Instruction.Env e -> {
          List<String> parts = new ArrayList<>();
          for (KeyValue pair : e.variables()) {
            // Every pair is expanded against the variables as they were before this ENV, so
            // "ENV abc=bye def=$abc" gives def the old abc, as the reference documents.
            String key = expand(env, e, pair.key());
            String value = expand(env, e, pair.value());
            state.env.put(key, value);
            parts.add(key + "=" + value);
          }
          state.history.add(new HistoryEntry("ENV " + String.join(" ", parts), true));
        }
        case Instruction.Label label -> {
          List<String> parts = new ArrayList<>();
          for (KeyValue pair : label.labels()) {
            String key = expand(env, label, pair.key());
            String value = expand(env, label, pair.value());
            state.labels.put(key, value);
            parts.add(key + "=" + value);
          }
          state.history.add(new HistoryEntry("LABEL " + String.join(" ", parts), true));
        }
        case Instruction.Run run -> run(state, run, env);
        case Instruction.Cmd cmd -> {
          state.cmd = Optional.of(commandArgs(state, cmd.command()));
          state.cmdSet = true;
          state.history.add(new HistoryEntry("CMD " + json(state.cmd.get()), true));
        }
        case Instruction.Entrypoint entrypoint -> {
          state.entrypoint = Optional.of(commandArgs(state, entrypoint.command()));
          if (!state.cmdSet) {
            // A new ENTRYPOINT drops the CMD inherited from the base, as the reference does.
            state.cmd = Optional.empty();
          }
          state.history.add(
              new HistoryEntry("ENTRYPOINT " + json(state.entrypoint.get()), true));
        }
        case Instruction.Shell shell -> {
          state.shell = shell.shell();
          state.history.add(new HistoryEntry("SHELL " + json(shell.shell()), true));
        }
        case Instruction.Maintainer maintainer -> {
          state.author = Optional.of(maintainer.maintainer());
          state.history.add(new HistoryEntry("MAINTAINER " + maintainer.maintainer(), true));
        }
        case Instruction.Expose expose -> {
          List<String> ports = new ArrayList<>();
          for (String port : expose.ports()) {
            for (String word : expandWords(env, expose, port)) {
              if (!PORT.matcher(word).matches()) {
                throw invalid(expose, "invalid port \"" + word + "\": use PORT[/PROTOCOL]");
              }
              String normalised =
                  word.contains("/") ? word.toLowerCase(Locale.ROOT) : word + "/tcp";
              state.ports.add(normalised);
              ports.add(normalised);
            }
          }
          state.history.add(new HistoryEntry("EXPOSE " + String.join(" ", ports), true));
        }
        case Instruction.Copy copy -> copy(state, copy, env);
        case Instruction.Add add -> add(state, add, env);
        case Instruction.Volume volume -> {
          List<String> paths = new ArrayList<>();
          for (String path : volume.paths()) {
            String expanded = expand(env, volume, path);
            if (expanded.isBlank()) {
              throw invalid(volume, "VOLUME specified can not be an empty string");
            }
            state.volumes.add(expanded);
            paths.add(expanded);
          }
          state.history.add(new HistoryEntry("VOLUME " + json(paths), true));
        }
        case Instruction.User user -> {
          state.user = expand(env, user, user.user());
          state.history.add(new HistoryEntry("USER " + state.user, true));
        }
        case Instruction.Workdir workdir -> {
          String path =
              resolvePath(
                  state.workdir, expand(env, workdir, workdir.path()), false, state.windows());
          state.workdir = path;
          Optional<String> owner = state.user.isEmpty() ? Optional.empty() : Optional.of(state.user);
          state.root =
              Vertex.of(
                  new Operation.FileOp(List.of(new FileAction.Mkdir(path, 0755, true, owner))),
                  List.of(state.root), state.describe("WORKDIR " + path),
                  Optional.of(workdir.origin().range()));
          state.history.add(new HistoryEntry("WORKDIR " + path, false));
        }
        case Instruction.Onbuild onbuild -> {
          state.onBuild.add(onbuild.expression());
          state.history.add(new HistoryEntry("ONBUILD " + onbuild.expression(), true));
        }
        case Instruction.Stopsignal stop -> {
          String signal = expand(env, stop, stop.signal());
          if (!SIGNAL.matcher(signal).matches()) {
            throw invalid(stop, "invalid signal: " + signal);
          }
          state.stopSignal = Optional.of(signal);
          state.history.add(new HistoryEntry("STOPSIGNAL " + signal, true));
        }
        case Instruction.Healthcheck check -> {
          state.healthcheck =
              Optional.of(
                  new ImageConfig.HealthcheckConfig(
                      check.test(), check.interval(), check.timeout(), check.startPeriod(),
                      check.startInterval(), check.retries()));
          state.history.add(new HistoryEntry("HEALTHCHECK " + json(check.test()), true));
        }
      }
    }

    private List<String> commandArgs(State state, Command command) {
      if (command.execForm()) {
        return command.arguments();
      }
      List<String> args = new ArrayList<>(state.shell);
      args.add(command.shellText());
      return args;
    }

    private void run(State state, Instruction.Run run, Map<String, String> env) {
      List<Vertex> inputs = new ArrayList<>();
      inputs.add(state.root);
      List<ExecMount> mounts = new ArrayList<>();
      List<String> args;
      Command command = run.command();
      if (!run.heredocs().isEmpty() && !command.execForm()) {
        String text = command.shellText();
        Optional<Heredoc> whole = DockerfileParser.heredocDeclaration(text.strip());
        if (whole.isPresent() && run.heredocs().size() == 1) {
          Heredoc heredoc = run.heredocs().getFirst();
          if (heredoc.content().startsWith("#!")) {
            // A script with an interpreter line runs as a file, not through the shell.
            Vertex script =
                Vertex.of(
                    new Operation.FileOp(
                        List.of(
                            new FileAction.Mkfile(
                                "/" + heredoc.name(), 0755, heredoc.content(), Optional.empty()))),
                    List.of(scratch), state.describe("heredoc " + heredoc.name()),
                    Optional.of(run.origin().range()));
            inputs.add(script);
            mounts.add(new ExecMount.Bind("/dev/pipes/", inputs.size() - 1, "/", true));
            args = List.of("/dev/pipes/" + heredoc.name());
          } else {
            args = new ArrayList<>(state.shell);
            args.add(heredoc.content());
          }
        } else {
          StringBuilder full = new StringBuilder(text);
          for (Heredoc heredoc : run.heredocs()) {
            full.append('\n').append(heredoc.rawContent()).append(heredoc.name());
          }
          args = new ArrayList<>(state.shell);
          args.add(full.toString());
        }
      } else {
        args = commandArgs(state, command);
      }
      int sshIndex = 0;
      for (MountSpec spec : run.mounts()) {
        RunMount mount =
            spec.resolve(word -> expand(env, run, word), dockerfile.file(), sshIndex);
        String target = resolvePath(state.workdir, mount.target(), true, state.windows());
        switch (mount) {
          case RunMount.Bind bind -> {
            Vertex source =
                bind.from().isPresent()
                    ? fromReference(state, run, bind.from().get())
                    : context(List.of(), List.of());
            inputs.add(source);
            mounts.add(
                new ExecMount.Bind(target, inputs.size() - 1, bind.source(), bind.readOnly()));
          }
          case RunMount.Cache cache -> {
            int seed = -1;
            if (cache.from().isPresent()) {
              inputs.add(fromReference(state, run, cache.from().get()));
              seed = inputs.size() - 1;
            }
            mounts.add(
                new ExecMount.Cache(
                    target, cache.id(), cache.sharing(), seed, cache.source(), cache.readOnly(),
                    cache.mode(), cache.uid(), cache.gid()));
          }
          case RunMount.Tmpfs tmpfs -> mounts.add(new ExecMount.Tmpfs(target, tmpfs.sizeBytes()));
          case RunMount.Secret secret ->
              mounts.add(
                  new ExecMount.Secret(
                      secret.target().isEmpty() ? "" : target, secret.id(),
                      secret.env().orElse(""), secret.required(), secret.mode(), secret.uid(),
                      secret.gid()));
          case RunMount.Ssh ssh -> {
            sshIndex++;
            mounts.add(
                new ExecMount.Ssh(target, ssh.id(), ssh.required(), ssh.mode(), ssh.uid(),
                    ssh.gid()));
          }
        }
      }
      Operation.NetworkMode network =
          Operation.NetworkMode.valueOf(run.network().orElse("default").toUpperCase(Locale.ROOT));
      Operation.SecurityMode security =
          Operation.SecurityMode.valueOf(
              run.security().orElse("sandbox").toUpperCase(Locale.ROOT));
      Operation.Exec exec =
          new Operation.Exec(
              args, state.runEnv(options), state.workdir.isEmpty() ? "/" : state.workdir,
              state.user, network, security, mounts);
      String shown = command.execForm() ? json(command.arguments()) : command.shellText();
      state.root =
          Vertex.of(exec, inputs, state.describe("RUN " + shown),
              Optional.of(run.origin().range()));
      state.history.add(
          new HistoryEntry("RUN " + String.join(" ", args) + " # buildkit", false));
    }

    private void copy(State state, Instruction.Copy copy, Map<String, String> env) {
      Optional<String> from = copy.from().map(f -> expand(env, copy, f));
      List<String> sources = copy.sources().stream().map(s -> expand(env, copy, s)).toList();
      List<String> excludes = copy.excludes().stream().map(s -> expand(env, copy, s)).toList();
      Optional<String> chown = copy.chown().map(s -> expand(env, copy, s));
      Optional<String> chmod = copy.chmod().map(s -> expand(env, copy, s));
      checkChmod(copy, chmod);
      String destination =
          resolvePath(
              state.workdir, expand(env, copy, copy.destination()), true, state.windows());
      List<Vertex> inputs = new ArrayList<>();
      List<FileAction> actions = new ArrayList<>();
      if (!sources.isEmpty()) {
        Vertex source =
            from.isPresent()
                ? fromReference(state, copy, from.get())
                : context(sources, excludes);
        inputs.add(source);
        actions.add(
            new FileAction.Copy(
                inputs.size(), sources, destination, chown, chmod, false, copy.parents(),
                excludes));
      }
      addHeredocFiles(state, copy, env, copy.heredocSources(), destination, chown, chmod, inputs,
          actions);
      String text = "COPY " + copy.origin().text().substring(copy.origin().keyword().length())
          .strip();
      commitCopy(state, copy, copy.link(), inputs, actions, text);
    }

    private void add(State state, Instruction.Add add, Map<String, String> env) {
      List<String> sources = add.sources().stream().map(s -> expand(env, add, s)).toList();
      List<String> excludes = add.excludes().stream().map(s -> expand(env, add, s)).toList();
      Optional<String> chown = add.chown().map(s -> expand(env, add, s));
      Optional<String> chmod = add.chmod().map(s -> expand(env, add, s));
      checkChmod(add, chmod);
      Optional<String> checksumText = add.checksum().map(s -> expand(env, add, s));
      Optional<Digest> checksum = Optional.empty();
      if (checksumText.isPresent()) {
        try {
          checksum = Optional.of(Digest.parse(checksumText.get()));
        } catch (RuntimeException e) {
          throw invalid(add, "invalid checksum digest \"" + checksumText.get() + "\"");
        }
        if (sources.size() != 1 || !isHttp(sources.getFirst())) {
          throw invalid(add, "checksum can't be specified for non-HTTP(S) sources");
        }
      }
      String destination =
          resolvePath(state.workdir, expand(env, add, add.destination()), true, state.windows());
      List<Vertex> inputs = new ArrayList<>();
      List<FileAction> actions = new ArrayList<>();
      List<String> local = new ArrayList<>();
      for (String source : sources) {
        if (isGit(source)) {
          String remote = source;
          String ref = "";
          String subdir = "";
          int hash = source.indexOf('#');
          if (hash >= 0) {
            remote = source.substring(0, hash);
            String fragment = source.substring(hash + 1);
            int colon = fragment.indexOf(':');
            ref = colon < 0 ? fragment : fragment.substring(0, colon);
            subdir = colon < 0 ? "" : fragment.substring(colon + 1);
          }
          inputs.add(
              Vertex.of(
                  new Operation.Git(remote, ref, subdir, add.keepGitDir().orElse(false)),
                  List.of(), state.describe("git " + remote), Optional.of(add.origin().range())));
          actions.add(
              new FileAction.Copy(
                  inputs.size(), List.of("/"), destination, chown, chmod, false, false,
                  excludes));
        } else if (isHttp(source)) {
          String path = source.replaceFirst("[?#].*$", "");
          String name = path.substring(path.lastIndexOf('/') + 1);
          if (name.isEmpty() || path.endsWith("://") || name.contains(":")) {
            name = "__unnamed__";
          }
          inputs.add(
              Vertex.of(
                  new Operation.Http(source, checksum, name), List.of(),
                  state.describe("http " + source), Optional.of(add.origin().range())));
          actions.add(
              new FileAction.Copy(
                  inputs.size(), List.of("/" + name), destination, chown, chmod,
                  add.unpack().orElse(false), false, excludes));
        } else {
          local.add(source);
        }
      }
      if (!local.isEmpty()) {
        inputs.add(context(local, excludes));
        actions.add(
            new FileAction.Copy(
                inputs.size(), local, destination, chown, chmod, add.unpack().orElse(true), false,
                excludes));
      }
      addHeredocFiles(state, add, env, add.heredocSources(), destination, chown, chmod, inputs,
          actions);
      String text = "ADD " + add.origin().text().substring(add.origin().keyword().length()).strip();
      commitCopy(state, add, add.link(), inputs, actions, text);
    }

    private void addHeredocFiles(
        State state,
        Instruction instruction,
        Map<String, String> env,
        List<Heredoc> heredocs,
        String destination,
        Optional<String> chown,
        Optional<String> chmod,
        List<Vertex> inputs,
        List<FileAction> actions) {
      if (heredocs.isEmpty()) {
        return;
      }
      List<FileAction> files = new ArrayList<>();
      List<String> paths = new ArrayList<>();
      for (Heredoc heredoc : heredocs) {
        String content = heredoc.content();
        if (heredoc.expand()) {
          try {
            content = lexer.withQuotesUnprocessed().expandWord(content, env);
          } catch (ExpansionException e) {
            throw e.at(dockerfile.file(), instruction.origin().argumentsLocation(),
                instruction.origin().text());
          }
        }
        files.add(new FileAction.Mkfile("/" + heredoc.name(), 0644, content, Optional.empty()));
        paths.add("/" + heredoc.name());
      }
      inputs.add(
          Vertex.of(
              new Operation.FileOp(files), List.of(scratch), state.describe("heredoc files"),
              Optional.of(instruction.origin().range())));
      actions.add(
          new FileAction.Copy(inputs.size(), paths, destination, chown, chmod, false, false,
              List.of()));
    }

    private void commitCopy(
        State state,
        Instruction instruction,
        boolean link,
        List<Vertex> sources,
        List<FileAction> actions,
        String text) {
      Optional<SourceRange> range =
          Optional.of(instruction.origin().range());
      List<Vertex> inputs = new ArrayList<>();
      inputs.add(link ? scratch : state.root);
      inputs.addAll(sources);
      Vertex copied =
          Vertex.of(new Operation.FileOp(actions), inputs, state.describe(text), range);
      if (link) {
        // The copy is made on an empty base and laid over the stage, so the layer does not
        // depend on what is below it and survives a rebase.
        copied = Vertex.of(new Operation.Merge(), List.of(state.root, copied),
            state.describe(text + " (link)"), range);
      }
      state.root = copied;
      state.history.add(new HistoryEntry(text + " # buildkit", false));
    }

    private void checkChmod(Instruction instruction, Optional<String> chmod) {
      if (chmod.isPresent() && !Chmod.isValid(chmod.get())) {
        throw new DockerfileException(
            DockerfileException.Kind.MALFORMED_FLAG, dockerfile.file(),
            instruction.origin().location(), "--chmod=" + chmod.get(),
            "invalid chmod parameter \"" + chmod.get()
                + "\": use an octal mode such as 755 or a symbolic one such as u+x,go-w");
      }
    }

    private static boolean isHttp(String source) {
      String lower = source.toLowerCase(Locale.ROOT);
      return (lower.startsWith("http://") || lower.startsWith("https://")) && !isGit(source);
    }

    private static boolean isGit(String source) {
      String lower = source.toLowerCase(Locale.ROOT);
      if (lower.startsWith("git@") || lower.startsWith("git://") || lower.startsWith("ssh://")) {
        return true;
      }
      if (lower.startsWith("http://") || lower.startsWith("https://")) {
        String path = lower.replaceFirst("#.*$", "");
        return path.endsWith(".git");
      }
      return false;
    }

    /** The context source selecting {@code sources}, minus ignore patterns and excludes. */
    private Vertex context(List<String> sources, List<String> excludes) {
      List<String> include = new ArrayList<>();
      for (String source : sources) {
        String cleaned = cleanContextPath(source);
        if (cleaned.isEmpty()) {
          include.clear();
          break;
        }
        include.add(cleaned);
      }
      List<String> exclude = new ArrayList<>(options.ignorePatterns());
      exclude.addAll(excludes);
      String shown = include.isEmpty() ? "." : String.join(" ", include);
      return Vertex.of(new Operation.Local("context", include, exclude), List.of(),
          "context " + shown, Optional.empty());
    }

    private static String cleanContextPath(String source) {
      String cleaned = PathNames.clean(source);
      while (cleaned.startsWith("/")) {
        cleaned = cleaned.substring(1);
      }
      return cleaned.equals(".") ? "" : cleaned;
    }

    /** The file system a {@code --from} names: a stage by name or index, else an image. */
    private Vertex fromReference(State state, Instruction instruction, String reference) {
      if (reference.isEmpty()) {
        throw invalid(instruction, "--from needs a stage name, stage index or image reference");
      }
      if (reference.chars().allMatch(Character::isDigit)) {
        int index;
        try {
          index = Integer.parseInt(reference);
        } catch (NumberFormatException e) {
          index = Integer.MAX_VALUE;
        }
        if (index >= state.definition.index()) {
          throw new DockerfileException(
              DockerfileException.Kind.INVALID_STAGE, dockerfile.file(),
              instruction.origin().location(), instruction.origin().text(),
              "--from=" + reference + " refers to stage " + reference
                  + ", but only earlier stages (0 to " + (state.definition.index() - 1)
                  + ") can be named by index");
        }
        return convert(index).root();
      }
      Optional<StageDefinition> stage = stages.byName(reference);
      if (stage.isPresent()) {
        if (stage.get().index() == state.definition.index()) {
          throw new DockerfileException(
              DockerfileException.Kind.INVALID_STAGE, dockerfile.file(),
              instruction.origin().location(), instruction.origin().text(),
              "circular dependency detected on stage: " + stage.get().displayName());
        }
        return convert(stage.get().index()).root();
      }
      ImageResolver.ResolvedImage image = resolver.resolve(reference, state.platform);
      return Vertex.of(
          new Operation.Image(reference, state.platform, image.digest()), List.of(),
          "image " + reference, Optional.empty());
    }

    /** Mutable state of one stage during conversion; confined to the conversion. */
    private final class State {
      final StageDefinition definition;
      final Platform platform;
      final int steps;
      int step = 1;
      Vertex root;
      final LinkedHashMap<String, String> env = new LinkedHashMap<>();
      final LinkedHashMap<String, String> args = new LinkedHashMap<>();
      String user;
      String workdir;
      Optional<List<String>> entrypoint;
      Optional<List<String>> cmd;
      boolean cmdSet;
      final SortedMap<String, String> labels;
      final SortedSet<String> ports;
      final SortedSet<String> volumes;
      Optional<String> stopSignal;
      Optional<ImageConfig.HealthcheckConfig> healthcheck;
      List<String> shell;
      List<String> onBuild;
      Optional<String> author;
      final List<HistoryEntry> history = new ArrayList<>();

      State(StageDefinition definition, Vertex root, ImageConfig base, Platform platform,
          int steps) {
        this.definition = definition;
        this.root = root;
        this.platform = platform;
        this.steps = steps;
        for (String entry : base.env()) {
          int eq = entry.indexOf('=');
          if (eq > 0) {
            env.put(entry.substring(0, eq), entry.substring(eq + 1));
          }
        }
        user = base.user();
        workdir = base.workingDir();
        entrypoint = base.entrypoint();
        cmd = base.cmd();
        labels = new TreeMap<>(base.labels());
        ports = new TreeSet<>(base.exposedPorts());
        volumes = new TreeSet<>(base.volumes());
        stopSignal = base.stopSignal();
        healthcheck = base.healthcheck();
        shell = base.shell().isEmpty() ? ImageConfig.DEFAULT_SHELL : base.shell();
        onBuild = new ArrayList<>(base.onBuild());
        author = base.author();
      }

      boolean windows() {
        return platform.os().equals("windows");
      }

      String describe(String text) {
        return state(definition, step, steps) + " " + text;
      }

      /** Variables for expansion: declared ARGs with a value, then ENV over them. */
      Map<String, String> expansionEnv() {
        Map<String, String> result = new HashMap<>();
        args.forEach((k, v) -> {
          if (v != null) {
            result.put(k, v);
          }
        });
        result.putAll(env);
        return result;
      }

      /** The environment of a RUN: ENV, then ARGs ENV does not override, proxies, PATH. */
      List<String> runEnv(BuildOptions options) {
        LinkedHashMap<String, String> result = new LinkedHashMap<>(env);
        args.forEach((k, v) -> {
          if (v != null) {
            result.putIfAbsent(k, v);
          }
        });
        for (String proxy : PROXY_ARGS.stream().sorted().toList()) {
          String value = options.buildArgs().get(proxy);
          if (value != null) {
            result.putIfAbsent(proxy, value);
          }
        }
        if (!windows()) {
          // Linux images without PATH still get the usual one, as the reference builder does.
          result.putIfAbsent("PATH", DEFAULT_PATH);
        }
        List<String> list = new ArrayList<>();
        result.forEach((k, v) -> list.add(k + "=" + v));
        return list;
      }

      ImageConfig config() {
        List<String> envList = new ArrayList<>();
        env.forEach((k, v) -> envList.add(k + "=" + v));
        return new ImageConfig(
            envList, user, workdir, entrypoint, cmd, labels, ports, volumes, stopSignal,
            healthcheck, shell, onBuild, author);
      }
    }
  }

  /**
   * Resolves {@code path} against {@code workdir} (or {@code /}) like the reference builder;
   * {@code keepTrailingSlash} keeps a final slash (and treats {@code .} as a directory), which
   * makes a COPY destination a directory.
   */
  static String resolvePath(String workdir, String path, boolean keepTrailingSlash) {
    return resolvePath(workdir, path, keepTrailingSlash, false);
  }

  /**
   * As {@link #resolvePath(String, String, boolean)}; for a Windows stage, {@code C:\app} style
   * paths are taken as absolute and turned into slash paths ({@code /app}), as the reference
   * builder normalises them.
   */
  static String resolvePath(
      String workdir, String path, boolean keepTrailingSlash, boolean windows) {
    if (windows) {
      path = path.replace('\\', '/');
      if (path.length() >= 2 && Character.isLetter(path.charAt(0)) && path.charAt(1) == ':') {
        path = path.substring(2);
        if (!path.startsWith("/")) {
          path = "/" + path;
        }
      }
    }
    boolean directory =
        keepTrailingSlash && (path.endsWith("/") || path.equals(".") || path.endsWith("/."));
    String joined =
        path.startsWith("/") ? path : (workdir.isEmpty() ? "/" : workdir) + "/" + path;
    String cleaned = PathNames.clean(joined);
    if (directory && !cleaned.endsWith("/")) {
      cleaned += "/";
    }
    return cleaned;
  }

  private static String json(List<String> values) {
    StringBuilder out = new StringBuilder("[");
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      out.append('"');
      for (char c : values.get(i).toCharArray()) {
        switch (c) {
          case '"' -> out.append("\\\"");
          case '\\' -> out.append("\\\\");
          case '\n' -> out.append("\\n");
          case '\t' -> out.append("\\t");
          default -> out.append(c);
        }
      }
      out.append('"');
    }
    return out.append(']').toString();
  }
}
