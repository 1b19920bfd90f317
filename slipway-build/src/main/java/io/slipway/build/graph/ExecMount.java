package io.slipway.build.graph;

import io.slipway.build.dockerfile.RunMount;
import java.util.Objects;

/**
 * A mount of an {@link Operation.Exec} other than its root file system. Mounts that read a file
 * system name the vertex input by index. Secret and SSH mounts carry only ids, never values, so
 * nothing secret reaches a digest, a cache key or a log. Immutable records.
 */
public sealed interface ExecMount {

  /** Where the mount appears in the container. */
  String target();

  /** {@code type=bind}: {@code sourcePath} of input {@code input}. */
  record Bind(String target, int input, String sourcePath, boolean readOnly) implements ExecMount {
    public Bind {
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(sourcePath, "sourcePath");
    }
  }

  /**
   * {@code type=cache}: a persistent directory keyed by {@code id}; {@code seedInput} is the input
   * to seed it from, or -1.
   */
  record Cache(
      String target,
      String id,
      RunMount.Sharing sharing,
      int seedInput,
      String seedPath,
      boolean readOnly,
      int mode,
      int uid,
      int gid)
      implements ExecMount {
    public Cache {
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(sharing, "sharing");
      Objects.requireNonNull(seedPath, "seedPath");
    }
  }

  /** {@code type=tmpfs}. */
  record Tmpfs(String target, long sizeBytes) implements ExecMount {}

  /** {@code type=secret}: the file target is "" when the secret is only exposed as {@code env}. */
  record Secret(
      String target, String id, String env, boolean required, int mode, int uid, int gid)
      implements ExecMount {}

  /** {@code type=ssh}. */
  record Ssh(String target, String id, boolean required, int mode, int uid, int gid)
      implements ExecMount {}
}
