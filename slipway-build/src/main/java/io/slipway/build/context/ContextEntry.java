package io.slipway.build.context;

import java.util.Objects;
import java.util.Optional;

/**
 * One path a {@link ContextSelection} keeps, with what {@code lstat} said of it when the context
 * was walked: enough to describe it in a cache key (type, permission bits, size, link target) and
 * to tell whether its content can have changed since an earlier walk (size, modification and
 * change times, inode). Immutable.
 *
 * @param path relative, slash-separated
 * @param type what the path is (symlinks are not followed)
 * @param mode the {@code st_mode} permission and type bits
 * @param size bytes, for regular files; 0 otherwise
 * @param modifiedNanos {@code st_mtime} in nanoseconds since 1970
 * @param changedNanos {@code st_ctime} in nanoseconds since 1970
 * @param inode {@code st_ino}
 * @param linkTarget the target of a symlink
 */
public record ContextEntry(
    String path,
    Type type,
    int mode,
    long size,
    long modifiedNanos,
    long changedNanos,
    long inode,
    Optional<String> linkTarget) {

  /** The kinds of path a context holds. */
  public enum Type {
    FILE,
    DIRECTORY,
    SYMLINK,
    /** Sockets, devices, fifos: described by their mode only. */
    OTHER
  }

  public ContextEntry {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(linkTarget, "linkTarget");
  }
}
