package io.slipway.cli;

import io.slipway.build.context.Dockerignore;
import io.slipway.build.context.DockerignoreException;
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
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code slipway build}: takes the flags of {@code docker buildx build}. Today only the
 * {@code --call=outline|targets|check} frontend calls run; a real build stops with exit code 2 and
 * says that building images is not available yet, rather than pretending. Confined to the main
 * thread.
 */
@Command(
    name = "build",
    mixinStandardHelpOptions = true,
    description = {
      "Builds an image from a Dockerfile, with the flags of docker buildx build.",
      "Available today: --call=outline (build args and secrets of a target), --call=targets"
          + " (stages and their descriptions) and --call=check (lint)."
    })
public final class BuildCommand implements Callable<Integer> {

  /** Exit code when the Dockerfile check fails or the Dockerfile is invalid. */
  static final int EXIT_FAILED = 1;

  /** Exit code for what Slipway cannot do yet, like usage errors. */
  static final int EXIT_UNSUPPORTED = 2;

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
      description = "Write build metadata to FILE")
  String metadataFile;

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
    BuildOptions options = options();
    validateSecrets();
    try {
      Path contextDir = Path.of(context);
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
          // Convert fully so that Dockerfile errors are reported before the missing engine.
          Path dockerfilePath = dockerfilePath(contextDir);
          if (!"-".equals(context) && Files.isDirectory(contextDir)) {
            options = options.withIgnorePatterns(
                Dockerignore.forBuild(contextDir, dockerfilePath).patterns());
          }
          GraphBuilder.build(dockerfile, options, ImageResolver.offline());
          err.println("slipway build: building images is not available yet: the Dockerfile is"
              + " valid, but the build engine (solver, snapshots, runc executor) is not part of"
              + " this version. Use --call=outline, --call=targets or --call=check.");
          return EXIT_UNSUPPORTED;
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

  private Path dockerfilePath(Path contextDir) {
    return file == null ? contextDir.resolve("Dockerfile") : Path.of(file);
  }

  private Dockerfile readDockerfile(Path contextDir) throws IOException {
    // As with docker: "-f -" or a context of "-" reads the Dockerfile from standard input.
    if ("-".equals(file) || ("-".equals(context) && file == null)) {
      InputStream in = System.in;
      return DockerfileParser.parse("Dockerfile", new String(in.readAllBytes(),
          StandardCharsets.UTF_8));
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
        Optional.ofNullable(System.getenv(arg)).ifPresent(value -> args.put(arg, value));
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
