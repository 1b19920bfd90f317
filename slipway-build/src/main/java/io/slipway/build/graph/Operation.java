package io.slipway.build.graph;

import io.slipway.oci.Digest;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one vertex of the build graph does. The set is closed so that the solver's dispatch, the
 * cache-key computation and the progress display each handle every operation; the compiler finds a
 * missing case. Each operation produces one file system; it reads its vertex's inputs by index.
 * All implementations are immutable records.
 */
public sealed interface Operation {

  /** A short name for progress and logs, such as {@code exec} or {@code image}. */
  default String kind() {
    return switch (this) {
      case Scratch s -> "scratch";
      case Image i -> "image";
      case Local l -> "local";
      case Http h -> "http";
      case Git g -> "git";
      case FileOp f -> "file";
      case Merge m -> "merge";
      case Exec e -> "exec";
    };
  }

  /** The empty file system: {@code FROM scratch} and the base of {@code COPY --link} layers. */
  record Scratch() implements Operation {}

  /**
   * The root file system of an image. {@code resolvedDigest}, when present, pins the manifest and
   * is part of the vertex digest, so a moved tag changes the graph.
   */
  record Image(String reference, Platform platform, Optional<Digest> resolvedDigest)
      implements Operation {
    public Image {
      Objects.requireNonNull(reference, "reference");
      Objects.requireNonNull(platform, "platform");
      Objects.requireNonNull(resolvedDigest, "resolvedDigest");
    }
  }

  /**
   * Files from a local directory the client sends ({@code context} for the build context). Only
   * paths matching {@code includePatterns} (all when empty) and not excluded by
   * {@code excludePatterns} (.dockerignore rules, then {@code --exclude}) are used. The content is
   * not pinned here: the solver checksums the selected files for the cache key.
   */
  record Local(String name, List<String> includePatterns, List<String> excludePatterns)
      implements Operation {
    public Local {
      Objects.requireNonNull(name, "name");
      includePatterns = List.copyOf(includePatterns);
      excludePatterns = List.copyOf(excludePatterns);
    }
  }

  /** A file downloaded from {@code url} and stored as {@code filename}, optionally verified. */
  record Http(String url, Optional<Digest> checksum, String filename) implements Operation {
    public Http {
      Objects.requireNonNull(url, "url");
      Objects.requireNonNull(checksum, "checksum");
      Objects.requireNonNull(filename, "filename");
    }
  }

  /** A checkout of {@code remote} at {@code ref} ("" for the default branch). */
  record Git(String remote, String ref, String subdirectory, boolean keepGitDir)
      implements Operation {
    public Git {
      Objects.requireNonNull(remote, "remote");
      Objects.requireNonNull(ref, "ref");
      Objects.requireNonNull(subdirectory, "subdirectory");
    }
  }

  /**
   * File actions applied in order to input 0 (COPY, ADD, WORKDIR, heredoc files). Copy actions
   * name the input they read from.
   */
  record FileOp(List<FileAction> actions) implements Operation {
    public FileOp {
      actions = List.copyOf(actions);
      if (actions.isEmpty()) {
        throw new IllegalArgumentException("a file operation needs at least one action");
      }
    }
  }

  /**
   * Input 0 with every later input's files laid over it, in order: how {@code COPY --link} adds a
   * layer that does not depend on the layers below it.
   */
  record Merge() implements Operation {}

  /**
   * A process run in a container whose root file system is input 0 (RUN). The result is that root
   * file system after the process exits 0; changes under mounts are not part of it.
   */
  record Exec(
      List<String> args,
      List<String> env,
      String workingDir,
      String user,
      NetworkMode network,
      SecurityMode security,
      List<ExecMount> mounts)
      implements Operation {
    public Exec {
      args = List.copyOf(args);
      env = List.copyOf(env);
      Objects.requireNonNull(workingDir, "workingDir");
      Objects.requireNonNull(user, "user");
      Objects.requireNonNull(network, "network");
      Objects.requireNonNull(security, "security");
      mounts = List.copyOf(mounts);
    }
  }

  /** {@code RUN --network}. */
  enum NetworkMode {
    /** The builder's default network (the host's, documented in the executor). */
    DEFAULT,
    /** Loopback only. */
    NONE,
    /** The host's network namespace. */
    HOST
  }

  /** {@code RUN --security}. */
  enum SecurityMode {
    /** The default confinement. */
    SANDBOX,
    /** All capabilities; needs the {@code security.insecure} entitlement. */
    INSECURE
  }
}
