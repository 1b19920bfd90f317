package io.slipway.build.graph;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One step of a {@link Operation.FileOp}. Paths are absolute inside the file system being changed.
 * Ownership ({@code chown}) is kept as written after expansion ({@code user[:group]}, names or
 * ids): names are resolved against the target's {@code /etc/passwd} and {@code /etc/group} when the
 * action runs. Immutable records.
 */
public sealed interface FileAction {

  /** Creates a directory (WORKDIR), with its parents when {@code makeParents}. */
  record Mkdir(String path, int mode, boolean makeParents, Optional<String> chown)
      implements FileAction {
    public Mkdir {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(chown, "chown");
    }
  }

  /** Writes a file with the given content (heredoc bodies). */
  record Mkfile(String path, int mode, String content, Optional<String> chown)
      implements FileAction {
    public Mkfile {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(content, "content");
      Objects.requireNonNull(chown, "chown");
    }
  }

  /**
   * Copies {@code sourcePaths} (wildcards allowed) from input {@code sourceInput} to
   * {@code destination} with the COPY/ADD rules: a trailing slash or several sources make the
   * destination a directory; directories are copied by content. {@code unpack} extracts local
   * archives (ADD); {@code parents} keeps the source's directory structure (COPY --parents);
   * {@code excludes} drops matching paths.
   */
  record Copy(
      int sourceInput,
      List<String> sourcePaths,
      String destination,
      Optional<String> chown,
      Optional<String> chmod,
      boolean unpack,
      boolean parents,
      List<String> excludes)
      implements FileAction {
    public Copy {
      sourcePaths = List.copyOf(sourcePaths);
      Objects.requireNonNull(destination, "destination");
      Objects.requireNonNull(chown, "chown");
      Objects.requireNonNull(chmod, "chmod");
      excludes = List.copyOf(excludes);
      if (sourceInput < 1) {
        throw new IllegalArgumentException("a copy reads from an input other than the target (0)");
      }
    }
  }
}
