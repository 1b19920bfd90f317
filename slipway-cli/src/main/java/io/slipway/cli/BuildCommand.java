package io.slipway.cli;

import io.slipway.build.context.Dockerignore;
import io.slipway.build.context.DockerignoreException;
import io.slipway.build.engine.BuildEngine;
import io.slipway.build.engine.BuildRequest;
import io.slipway.build.engine.BuildResult;
import io.slipway.build.engine.RuncStepExecutor;
import io.slipway.build.run.BuildSession;
import io.slipway.build.run.ExecutorOptions;
import io.slipway.build.run.RuncExecutor;
import io.slipway.build.export.Output;
import io.slipway.build.solver.Executor;
import io.slipway.build.solver.OciLayoutImages;
import io.slipway.build.solver.RegistryImages;
import io.slipway.build.solver.SolveException;
import io.slipway.client.ClientSettings;
import io.slipway.client.OnDemandClient;
import io.slipway.client.RegistryClient;
import io.slipway.build.dockerfile.Dockerfile;
import io.slipway.build.dockerfile.DockerfileException;
import io.slipway.build.dockerfile.DockerfileParser;
import io.slipway.build.graph.BuildOptions;
import io.slipway.build.graph.GraphBuilder;
import io.slipway.build.graph.ImageResolver;
import io.slipway.build.graph.Outline;
import io.slipway.build.graph.Platform;
import io.slipway.build.graph.Targets;
import io.slipway.build.lint.LintFinding;
import io.slipway.build.lint.LintReport;
import io.slipway.build.lint.Linter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code slipway build}: takes the flags of {@code docker buildx build}. Builds run Dockerfile →
 * graph → solver → image → outputs with the build engine under {@code --root}; RUN steps run in
 * runc (a clear error names the step when runc cannot be used here). {@code --call=outline|targets|check}
 * run the frontend only. This is the only place that reads {@code SOURCE_DATE_EPOCH} and the
 * docker credential files for builds. SIGTERM or SIGINT cancels a build (RUN containers killed,
 * nothing half-recorded) and exits 130; a second signal exits at once with 1. Confined to the
 * main thread (the signal handler only interrupts it).
 */
@Command(
    name = "build",
    mixinStandardHelpOptions = true,
    description = {
      "Builds an image from a Dockerfile, with the flags of docker buildx build.",
      "RUN steps run in runc; --call=outline, --call=targets and --call=check run the"
          + " frontend only."
    })
public final class BuildCommand implements Callable<Integer> {

  /** Exit code when the Dockerfile check fails or the Dockerfile is invalid. */
  static final int EXIT_FAILED = 1;

  /** Exit code for what Slipway cannot do yet, like usage errors. */
  static final int EXIT_UNSUPPORTED = 2;

  /** Exit code when SIGTERM or SIGINT cancelled the build (128 + SIGINT, as shells report). */
  static final int EXIT_CANCELLED = 130;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "PATH",
      description = "Build context directory (default: .); - reads a Dockerfile from standard"
          + " input and uses no context")
  String context = ".";

  @Option(names = {"-f", "--file"}, paramLabel = "PATH",
      description = "Dockerfile (default: PATH/Dockerfile; - reads standard input)")
  String file;

  @Option(names = {"-t", "--tag"}, paramLabel = "NAME[:TAG]", description = "Image name and tag")
  List<String> tags = new ArrayList<>();

  @Option(names = "--build-arg", paramLabel = "KEY[=VALUE]",
      description = "Build-time variable; KEY alone takes the value from the environment")
  List<String> buildArgs = new ArrayList<>();

  @Option(names = "--target", paramLabel = "STAGE", description = "Stage to build")
  String target;

  @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]", split = ",",
      description = "Target platform(s)")
  List<String> platforms = new ArrayList<>();

  @Option(names = "--secret", paramLabel = "id=ID[,src=PATH|env=VAR]",
      description = "Secret to expose to RUN --mount=type=secret")
  List<String> secrets = new ArrayList<>();

  @Option(names = "--ssh", paramLabel = "default|ID[=SOCKET|KEY]",
      description = "SSH agent socket or keys to expose to RUN --mount=type=ssh")
  List<String> ssh = new ArrayList<>();

  @Option(names = "--call", paramLabel = "build|check|outline|targets", defaultValue = "build",
      description = "What to do: build (default), check, outline or targets;"
          + " append ,format=json for JSON")
  String call;

  @Option(names = "--check", description = "Shorthand for --call=check")
  boolean check;

  @Option(names = {"-o", "--output"}, paramLabel = "type=…", description = "Output destination")
  List<String> outputs = new ArrayList<>();

  @Option(names = "--push", description = "Shorthand for --output=type=registry")
  boolean push;

  @Option(names = "--load", description = "Shorthand for --output=type=docker")
  boolean load;

  @Option(names = "--cache-from", paramLabel = "SOURCE", description = "External cache sources")
  List<String> cacheFrom = new ArrayList<>();

  @Option(names = "--cache-to", paramLabel = "DEST", description = "Cache export destinations")
  List<String> cacheTo = new ArrayList<>();

  @Option(names = "--no-cache", description = "Do not use cache when building")
  boolean noCache;

  @Option(names = "--no-cache-filter", paramLabel = "STAGE", description = "Stages not to cache")
  List<String> noCacheFilter = new ArrayList<>();

  @Option(names = "--progress", paramLabel = "auto|plain|tty", defaultValue = "auto",
      description = "Progress output")
  String progress;

  @Option(names = "--label", paramLabel = "KEY=VALUE", description = "Image label")
  List<String> labels = new ArrayList<>();

  @Option(names = "--network", paramLabel = "default|none|host",
      description = "Network mode for RUN")
  String network;

  @Option(names = "--allow", paramLabel = "ENTITLEMENT",
      description = "Extra privileges, such as security.insecure")
  List<String> allow = new ArrayList<>();

  @Option(names = "--build-context", paramLabel = "NAME=VALUE",
      description = "Additional named build context")
  List<String> buildContexts = new ArrayList<>();

  @Option(names = "--pull", description = "Always look for newer base images")
  boolean pull;

  @Option(names = {"-q", "--quiet"}, description = "Print only the image id")
  boolean quiet;

  @Option(names = "--iidfile", paramLabel = "FILE", description = "Write the image id to FILE")
  String iidFile;

  @Option(names = "--metadata-file", paramLabel = "FILE",
      description = "Write the image's digests and name to FILE as JSON, with buildx's keys")
  String metadataFile;

  @Option(names = "--trace-file", paramLabel = "FILE",
      description = "Write the build's OpenTelemetry spans to FILE as OTLP JSON")
  Path traceFile;

  @picocli.CommandLine.Mixin RegistryTrustOptions trust;

  @Option(names = "--root", paramLabel = "DIR",
      description = "Builder state: content store, cache, snapshots"
          + " (default: $XDG_DATA_HOME/slipway or ~/.local/share/slipway)")
  Path root;

  @Option(names = "--builder", paramLabel = "auto|server|local", defaultValue = "auto",
      description = "Where the build runs: auto (default) uses the build server of the root when"
          + " one runs (slipway builder serve), else this process; server requires it; local"
          + " builds in this process")
  BuilderChoice builder;

  /** Where {@code --builder} lets the build run. */
  enum BuilderChoice {
    AUTO,
    SERVER,
    LOCAL
  }

  /** Set by the build server for a client's build; otherwise this process's own. */
  Invocation invocation;

  private Invocation invocation() {
    if (invocation == null) {
      invocation = Invocation.local();
    }
    return invocation;
  }

  /** The state directory this build uses, absolute. */
  Path stateRoot() {
    Invocation from = invocation();
    return from.environment().builderRoot(root == null ? null : from.resolve(root));
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String what = check ? "check" : call.toLowerCase(Locale.ROOT);
    boolean json = false;
    int comma = what.indexOf(',');
    if (comma >= 0) {
      // buildx's "--call=outline,format=json" form.
      for (String option : what.substring(comma + 1).split(",")) {
        switch (option.strip()) {
          case "format=json" -> json = true;
          case "format=text", "" -> {}
          default -> throw new CommandLine.ParameterException(
              spec.commandLine(),
              "unknown --call option \"" + option + "\": use format=json or format=text");
        }
      }
      what = what.substring(0, comma);
    }
    if (!List.of("build", "check", "outline", "targets").contains(what)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "unknown --call \"" + call + "\": use build, check, outline or targets");
    }
    if (builder == BuilderChoice.SERVER && invocation() instanceof Invocation.Local) {
      err.println("error: --builder server: no build server answers at "
          + BuilderCommand.socket(stateRoot()) + "; start one with `slipway builder serve"
          + (root == null ? "" : " --root " + stateRoot()) + "`");
      return EXIT_FAILED;
    }
    BuildOptions options = options();
    validateSecrets();
    try {
      Path contextDir = invocation().resolve(context);
      if (context.contains("://") || context.startsWith("git@")) {
        err.println("slipway build: remote build contexts are not supported yet; clone or download"
            + " the context and pass its directory");
        return EXIT_UNSUPPORTED;
      }
      Dockerfile dockerfile = readDockerfile(contextDir);
      switch (what) {
        case "outline" -> {
          Outline outline = Outline.of(dockerfile, options);
          out.print(json ? CallJson.outline(outline) : outline.render());
        }
        case "targets" -> {
          Targets targets = Targets.of(dockerfile);
          out.print(json ? CallJson.targets(targets) : targets.render());
        }
        case "check" -> {
          if (!"-".equals(context) && Files.isDirectory(contextDir)) {
            options = options.withIgnorePatterns(
                Dockerignore.forBuild(contextDir, dockerfilePath(contextDir)).patterns());
          }
          return check(dockerfile, options, out, json);
        }
        default -> {
          Path dockerfilePath = dockerfilePath(contextDir);
          if (!"-".equals(context) && Files.isDirectory(contextDir)) {
            options = options.withIgnorePatterns(
                Dockerignore.forBuild(contextDir, dockerfilePath).patterns());
          }
          return build(dockerfile, contextDir, options, out, err);
        }
      }
      out.flush();
      return 0;
    } catch (DockerfileException | DockerignoreException e) {
      err.println("error: " + e.getMessage());
      return EXIT_FAILED;
    } catch (NoSuchFileException e) {
      err.println("error: no such file: " + e.getFile()
          + " (use -f to name the Dockerfile, or pass the context directory)");
      return EXIT_FAILED;
    } catch (IOException e) {
      err.println("error: " + e.getMessage());
      return EXIT_FAILED;
    }
  }

  private int build(Dockerfile dockerfile, Path contextDir, BuildOptions options, PrintWriter out,
      PrintWriter err) throws IOException {
    // A build's output is its progress; library chatter (migrations, pools) only when it matters.
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    if (load) {
      err.println("error: --load needs a docker daemon, which Slipway does not use; write a"
          + " loadable archive with --output type=docker,dest=image.tar");
      return EXIT_UNSUPPORTED;
    }
    List<Output> parsed = new ArrayList<>();
    try {
      for (String output : outputs) {
        parsed.add(Output.parse(output, tags, invocation().workingDirectory()));
      }
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    if (push) {
      parsed.add(new Output.Image(tags, true, Output.LayerSettings.DEFAULT));
    }
    Optional<Instant> epoch = sourceDateEpoch(options);
    Map<String, Path> layouts = new HashMap<>();
    for (String context : buildContexts) {
      int eq = context.indexOf('=');
      String value = eq < 0 ? "" : context.substring(eq + 1);
      if (eq <= 0 || !value.startsWith(OciLayoutImages.PREFIX)) {
        err.println("error: --build-context " + context + ": only NAME=oci-layout://DIR is"
            + " supported so far");
        return EXIT_UNSUPPORTED;
      }
      layouts.put(context.substring(0, eq),
          invocation().resolve(value.substring(OciLayoutImages.PREFIX.length())));
    }
    CliEnvironment environment = invocation().environment();
    BuildSession session;
    ProgressMode mode;
    try {
      session = BuildSessionFlags.parse(secrets, ssh, allow, environment.variables(),
          invocation().workingDirectory());
      mode = ProgressMode.parse(progress);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    // Absolute: runc resolves bundle paths from inside the bundle directory.
    Path state = stateRoot();
    // Made at the first pull or push: a build from local layouts that pushes nothing never
    // pays for trust stores and an HTTP client.
    OnDemandClient client = OnDemandClient.of(() ->
        RegistryClient.create(
            trust.applyTo(ClientSettings.defaults(), invocation().workingDirectory()),
            environment.credentials(invocation().workingDirectory())));
    Map<String, Path> named = Map.copyOf(layouts);
    int heavy = Math.max(2, Runtime.getRuntime().availableProcessors());
    Optional<BuildTracing> tracing = BuildTracing.configure(environment.variables(),
        Optional.ofNullable(traceFile).map(invocation()::resolve));
    // First SIGTERM/SIGINT cancels: the solver interrupts every step, RUN steps kill their
    // containers and remove their mounts, nothing is recorded for a step that did not finish.
    // A second one exits at once; the root stays consistent and the next build recovers it.
    Thread builder = Thread.currentThread();
    AtomicBoolean cancelled = new AtomicBoolean();
    Optional<AutoCloseable> signals = invocation().onCancel(
        () -> {
          cancelled.set(true);
          synchronized (err) {
            err.println("slipway: signal received: cancelling the build (a second signal exits"
                + " at once)");
            err.flush();
          }
          builder.interrupt();
        },
        () -> {
          synchronized (err) {
            err.println("slipway: second signal: exiting now; the state stays consistent and the"
                + " next build recovers it");
            err.flush();
          }
        });
    // Started last, just before the try whose finally ends it.
    BuildProgress display = progressDisplay(mode, environment, err);
    try (client;
        BuildEngine opened = BuildEngine.open(state,
            store -> new OciLayoutImages(store, named, new RegistryImages(client, store, display)),
            client, runExecutor(state, dockerfile, session, display), heavy,
            Clock.systemUTC())) {
      BuildEngine engine = tracing.map(t -> opened.withTracer(t.tracer())).orElse(opened);
      BuildRequest request = new BuildRequest(dockerfile, contextDir, options, noCache,
          Set.copyOf(noCacheFilter), epoch, parsed);
      BuildResult result;
      boolean built = false;
      try {
        result = engine.build(request, display, display);
        built = true;
      } catch (InterruptedException | IOException e) {
        if (!cancelled.get()) {
          if (e instanceof IOException) {
            // A failed build still fills the root (layers of the steps that finished, pulled
            // bases): GC runs after it too. Its lines come before the build's error, which stays
            // the last thing printed, and the exit status is the build's.
            display.finish(false);
            BuilderGc.afterFailedBuild(opened, state, err);
          }
          throw e;
        }
        display.finish(false);
        // Cleared so that waiting for the steps and closing the engine (WAL checkpoint) are not
        // cut short as well. The steps clean up on threads of their own: wait for them, so the
        // process does not exit with a RUN container still being killed.
        Thread.interrupted();
        if (!opened.solver().awaitIdle(java.time.Duration.ofSeconds(30))) {
          err.println("slipway: some steps were still cleaning up after 30 s; the next build"
              + " sweeps what they leave");
        }
        err.println("error: build cancelled by signal; nothing of the unfinished steps was"
            + " recorded");
        err.flush();
        return EXIT_CANCELLED;
      } finally {
        // Before anything else is printed: the error or result goes below the final frame.
        display.finish(built);
      }
      String imageId = result.image().config().digest().toString();
      if (iidFile != null) {
        Files.writeString(invocation().resolve(iidFile), imageId, StandardCharsets.UTF_8);
      }
      if (metadataFile != null) {
        BuildMetadataFile.write(invocation().resolve(metadataFile), result.image(), tags);
      }
      if (quiet) {
        out.println(imageId);
      } else {
        err.println("writing image " + imageId + " done");
        err.println("manifest " + result.image().manifest().digest() + " ("
            + result.solution().cacheHits() + " of " + result.solution().vertices().size()
            + " steps cached)");
      }
      BuilderGc.afterBuild(opened, state, err);
      err.flush();
      out.flush();
      return 0;
    } catch (SolveException e) {
      err.println("error: " + e.getMessage());
      return EXIT_FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("error: build cancelled");
      return EXIT_FAILED;
    } finally {
      // Already done after a build; this covers the engine failing to open, so the terminal
      // gets its cursor back. A second finish does nothing.
      display.finish(false);
      signals.ifPresent(BuildCommand::withdraw);
      if (tracing.isPresent()) {
        tracing.get().close();
      }
    }
  }

  /** Withdraws a cancellation hook; withdrawing cannot fail in a way worth reporting. */
  private static void withdraw(AutoCloseable hook) {
    try {
      hook.close();
    } catch (Exception e) {
      // Both kinds of hook only remove themselves from a list or restore a handler.
    }
  }

  /**
   * The display {@code --progress} asks for: none with {@code --quiet}, the live one on a terminal
   * (or when forced), else plain lines.
   */
  private BuildProgress progressDisplay(ProgressMode mode, CliEnvironment environment,
      PrintWriter err) {
    if (quiet) {
      return BuildProgress.silent();
    }
    if (mode.live(invocation().stderrIsTerminal(), environment.variables())) {
      TtyProgress tty = new TtyProgress(err, invocation().terminalWidth(), System::nanoTime);
      tty.start();
      return tty;
    }
    return new PlainProgress(err);
  }

  /** RUN steps go to runc when it can be set up here; otherwise they fail with a clear error. */
  private static Executor runExecutor(Path state, Dockerfile dockerfile, BuildSession session,
      BuildProgress display) {
    try {
      RuncExecutor runc = RuncExecutor.open(ExecutorOptions.defaults(state.resolve("run")));
      return new RuncStepExecutor(runc, session, dockerfile.file(), display);
    } catch (IOException e) {
      return step -> {
        throw new SolveException(step.vertex(), "RUN needs runc, which cannot be used here: "
            + e.getMessage());
      };
    }
  }

  private Optional<Instant> sourceDateEpoch(BuildOptions options) {
    String text = options.buildArgs().get("SOURCE_DATE_EPOCH");
    if (text == null) {
      text = invocation().environment().variables().get("SOURCE_DATE_EPOCH");
    }
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.ofEpochSecond(Long.parseLong(text.strip())));
    } catch (NumberFormatException e) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "invalid SOURCE_DATE_EPOCH \"" + text + "\": use seconds since 1970");
    }
  }

  private int check(Dockerfile dockerfile, BuildOptions options, PrintWriter out, boolean json) {
    LintReport report = Linter.check(dockerfile, options, ImageResolver.offline());
    if (json) {
      out.print(CallJson.check(report));
      out.flush();
      return report.failing() ? EXIT_FAILED : 0;
    }
    for (LintFinding finding : report.findings()) {
      out.println("WARNING: " + finding.rule().ruleName() + " - " + finding.rule().url());
      out.println(finding.format(dockerfile.file()));
    }
    int count = report.findings().size();
    out.println(count == 0
        ? "Check complete, no warnings found."
        : "Check complete, " + count + (count == 1 ? " warning has" : " warnings have")
            + " been found!");
    out.flush();
    return report.failing() ? EXIT_FAILED : 0;
  }

  /** The largest Dockerfile read from standard input ({@code -f -}). */
  static final int MAX_STDIN_DOCKERFILE = 4 << 20;

  private Path dockerfilePath(Path contextDir) {
    return file == null ? contextDir.resolve("Dockerfile") : invocation().resolve(file);
  }

  private Dockerfile readDockerfile(Path contextDir) throws IOException {
    // As with docker: "-f -" or a context of "-" reads the Dockerfile from standard input.
    if ("-".equals(file) || ("-".equals(context) && file == null)) {
      // Bounded: a context tarball piped in by habit must fail clearly, not fill the heap (a
      // build server's heap serves every build).
      byte[] text = invocation().stdin().readNBytes(MAX_STDIN_DOCKERFILE + 1);
      if (text.length > MAX_STDIN_DOCKERFILE) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "the Dockerfile on standard input is larger than " + (MAX_STDIN_DOCKERFILE >> 20)
                + " MiB; a build context cannot be read from standard input, give a directory");
      }
      return DockerfileParser.parse("Dockerfile", new String(text, StandardCharsets.UTF_8));
    }
    Path path = dockerfilePath(contextDir);
    return DockerfileParser.parse(path.getFileName().toString(),
        Files.readString(path, StandardCharsets.UTF_8));
  }

  private BuildOptions options() {
    Map<String, String> args = new LinkedHashMap<>();
    for (String arg : buildArgs) {
      int eq = arg.indexOf('=');
      if (eq == 0) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "invalid --build-arg \"" + arg + "\": use KEY=VALUE or KEY");
      }
      if (eq < 0) {
        // Like docker: a bare KEY takes its value from the environment, or is skipped.
        Optional.ofNullable(invocation().environment().variables().get(arg))
            .ifPresent(value -> args.put(arg, value));
      } else {
        args.put(arg.substring(0, eq), arg.substring(eq + 1));
      }
    }
    Platform host = Platform.host();
    Platform targetPlatform = host;
    if (platforms.size() > 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "building for several platforms at once is not supported yet");
    }
    if (!platforms.isEmpty()) {
      try {
        targetPlatform = Platform.parse(platforms.getFirst());
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
    }
    return new BuildOptions(Optional.ofNullable(target), args, targetPlatform, host, List.of());
  }

  private void validateSecrets() {
    for (String secret : secrets) {
      boolean hasId = false;
      for (String field : secret.split(",")) {
        int eq = field.indexOf('=');
        String key = eq < 0 ? field : field.substring(0, eq);
        switch (key) {
          case "id" -> hasId = eq > 0 && eq < field.length() - 1;
          case "src", "source", "env", "type" -> {}
          default -> throw new CommandLine.ParameterException(
              spec.commandLine(),
              "invalid --secret \"" + secret + "\": unexpected key \"" + key
                  + "\" (use id=ID,src=PATH or id=ID,env=VAR)");
        }
      }
      if (!hasId) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "invalid --secret \"" + secret + "\": id=ID is required");
      }
    }
  }
}
