package io.slipway.build.dockerfile;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One parsed Dockerfile instruction. The set is closed: a {@code switch} over it must handle every
 * instruction, so a new one cannot be forgotten by the graph builder, lint or outline.
 *
 * <p>Arguments are kept as written, before variable expansion: which arguments are expanded, and
 * against which variables, depends on the stage and is decided when the build graph is made. All
 * implementations are immutable records.
 */
public sealed interface Instruction {

  /** Where the instruction is and how it was written. */
  Origin origin();

  /** The canonical upper-case keyword, such as {@code RUN}. */
  default String keyword() {
    return switch (this) {
      case From f -> "FROM";
      case Run r -> "RUN";
      case Cmd c -> "CMD";
      case Entrypoint e -> "ENTRYPOINT";
      case Shell s -> "SHELL";
      case Label l -> "LABEL";
      case Maintainer m -> "MAINTAINER";
      case Expose e -> "EXPOSE";
      case Env e -> "ENV";
      case Copy c -> "COPY";
      case Add a -> "ADD";
      case Volume v -> "VOLUME";
      case User u -> "USER";
      case Workdir w -> "WORKDIR";
      case Arg a -> "ARG";
      case Onbuild o -> "ONBUILD";
      case Stopsignal s -> "STOPSIGNAL";
      case Healthcheck h -> "HEALTHCHECK";
    };
  }

  /**
   * {@code FROM [--platform=p] image [AS name]}. {@code stageName} is lower-cased, as the reference
   * builder matches stage names case-insensitively; {@code stageNameAsWritten} and
   * {@code asKeyword} keep the original spelling for lint.
   */
  record From(
      Origin origin,
      String image,
      Optional<String> stageName,
      Optional<String> stageNameAsWritten,
      Optional<String> asKeyword,
      Optional<String> platform)
      implements Instruction {
    public From {
      Objects.requireNonNull(image, "image");
    }
  }

  /**
   * {@code RUN [--mount=…]… [--network=…] [--security=…] command}, with the heredocs that follow it.
   */
  record Run(
      Origin origin,
      Command command,
      List<MountSpec> mounts,
      Optional<String> network,
      Optional<String> security,
      List<Heredoc> heredocs)
      implements Instruction {
    public Run {
      Objects.requireNonNull(command, "command");
      mounts = List.copyOf(mounts);
      heredocs = List.copyOf(heredocs);
    }
  }

  /** {@code CMD command}. */
  record Cmd(Origin origin, Command command) implements Instruction {}

  /** {@code ENTRYPOINT command}. */
  record Entrypoint(Origin origin, Command command) implements Instruction {}

  /** {@code SHELL ["executable", "parameters"]}; always exec form. */
  record Shell(Origin origin, List<String> shell) implements Instruction {
    public Shell {
      shell = List.copyOf(shell);
    }
  }

  /** {@code LABEL k=v …}, or the legacy {@code LABEL k v} when {@code legacyForm}. */
  record Label(Origin origin, List<KeyValue> labels, boolean legacyForm) implements Instruction {
    public Label {
      labels = List.copyOf(labels);
    }
  }

  /** {@code MAINTAINER name}, deprecated in favour of a label. */
  record Maintainer(Origin origin, String maintainer) implements Instruction {}

  /** {@code EXPOSE port[/proto] …}. */
  record Expose(Origin origin, List<String> ports) implements Instruction {
    public Expose {
      ports = List.copyOf(ports);
    }
  }

  /** {@code ENV k=v …}, or the legacy {@code ENV k v} when {@code legacyForm}. */
  record Env(Origin origin, List<KeyValue> variables, boolean legacyForm) implements Instruction {
    public Env {
      variables = List.copyOf(variables);
    }
  }

  /**
   * {@code COPY [flags] src… dest}. Sources that are heredoc names ({@code <<EOF}) are in
   * {@code heredocSources}, the others in {@code sources}.
   */
  record Copy(
      Origin origin,
      List<String> sources,
      List<Heredoc> heredocSources,
      String destination,
      Optional<String> from,
      Optional<String> chown,
      Optional<String> chmod,
      boolean link,
      boolean parents,
      List<String> excludes)
      implements Instruction {
    public Copy {
      sources = List.copyOf(sources);
      heredocSources = List.copyOf(heredocSources);
      excludes = List.copyOf(excludes);
    }
  }

  /** {@code ADD [flags] src… dest}: COPY plus URLs, git repositories and archive extraction. */
  record Add(
      Origin origin,
      List<String> sources,
      List<Heredoc> heredocSources,
      String destination,
      Optional<String> chown,
      Optional<String> chmod,
      boolean link,
      List<String> excludes,
      Optional<String> checksum,
      Optional<Boolean> keepGitDir,
      Optional<Boolean> unpack)
      implements Instruction {
    public Add {
      sources = List.copyOf(sources);
      heredocSources = List.copyOf(heredocSources);
      excludes = List.copyOf(excludes);
    }
  }

  /** {@code VOLUME path …} or {@code VOLUME ["path", …]}. */
  record Volume(Origin origin, List<String> paths) implements Instruction {
    public Volume {
      paths = List.copyOf(paths);
    }
  }

  /** {@code USER user[:group]}. */
  record User(Origin origin, String user) implements Instruction {}

  /** {@code WORKDIR path}. */
  record Workdir(Origin origin, String path) implements Instruction {}

  /** {@code ARG name[=default] …}. */
  record Arg(Origin origin, List<ArgDeclaration> declarations) implements Instruction {
    public Arg {
      declarations = List.copyOf(declarations);
    }
  }

  /**
   * {@code ONBUILD instruction}: {@code expression} is the trigger text stored in the image config,
   * {@code trigger} the same text parsed.
   */
  record Onbuild(Origin origin, String expression, Instruction trigger) implements Instruction {}

  /** {@code STOPSIGNAL signal}. */
  record Stopsignal(Origin origin, String signal) implements Instruction {}

  /**
   * {@code HEALTHCHECK [options] CMD command} or {@code HEALTHCHECK NONE}. {@code test} is the image
   * config's form: {@code ["NONE"]}, {@code ["CMD", args…]} or {@code ["CMD-SHELL", command]}.
   * Zero durations and retries mean "inherit the default".
   */
  record Healthcheck(
      Origin origin,
      List<String> test,
      Duration interval,
      Duration timeout,
      Duration startPeriod,
      Duration startInterval,
      int retries)
      implements Instruction {
    public Healthcheck {
      test = List.copyOf(test);
    }

    /** True for {@code HEALTHCHECK NONE}, which disables a healthcheck inherited from the base. */
    public boolean disabled() {
      return test.equals(List.of("NONE"));
    }
  }
}
