package io.slipway.build.dockerfile;

import java.util.Objects;
import java.util.Optional;

/**
 * A resolved {@code RUN --mount}: one of the five mount types with its keys expanded, validated and
 * defaulted as the reference builder does. Immutable records.
 */
public sealed interface RunMount {

  /** Where the mount appears inside the container. */
  String target();

  /**
   * {@code type=bind}: a path from the build context, a stage or an image ({@code from}),
   * read-only unless {@code rw}, in which case writes are discarded after the step.
   */
  record Bind(String target, String source, Optional<String> from, boolean readOnly)
      implements RunMount {
    public Bind {
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(from, "from");
    }
  }

  /**
   * {@code type=cache}: a directory that persists across builds, keyed by {@code id} (the target
   * when not given), optionally seeded from {@code from}/{@code source}.
   */
  record Cache(
      String target,
      String id,
      Sharing sharing,
      Optional<String> from,
      String source,
      boolean readOnly,
      int mode,
      int uid,
      int gid)
      implements RunMount {
    public Cache {
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(sharing, "sharing");
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(source, "source");
    }
  }

  /** {@code type=tmpfs}: an in-memory file system; {@code sizeBytes} 0 means no limit. */
  record Tmpfs(String target, long sizeBytes) implements RunMount {
    public Tmpfs {
      Objects.requireNonNull(target, "target");
    }
  }

  /**
   * {@code type=secret}: the secret {@code id}, mounted as a file at {@code target} and/or exposed as
   * the environment variable {@code env}. When only {@code env} is given, {@code target} is empty and
   * nothing is mounted.
   */
  record Secret(
      String target, String id, Optional<String> env, boolean required, int mode, int uid, int gid)
      implements RunMount {
    public Secret {
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(env, "env");
    }
  }

  /** {@code type=ssh}: the SSH agent socket {@code id} (default {@code default}) at {@code target}. */
  record Ssh(String target, String id, boolean required, int mode, int uid, int gid)
      implements RunMount {
    public Ssh {
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(id, "id");
    }
  }

  /** Cache mount sharing modes. */
  enum Sharing {
    /** Concurrent builds use the cache at the same time. */
    SHARED,
    /** A concurrent build gets its own fresh cache directory. */
    PRIVATE,
    /** A concurrent build waits until the cache is released. */
    LOCKED
  }
}
