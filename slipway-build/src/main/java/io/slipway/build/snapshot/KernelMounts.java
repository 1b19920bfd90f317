package io.slipway.build.snapshot;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * mount(2) and umount2(2) called directly through JNA, so that a RUN step's overlay mount and
 * unmount cost a system call each instead of starting the host's {@code mount} and {@code umount}
 * programs (two process starts per step). Stateless; safe for concurrent use.
 *
 * <p>The C library is bound on first use. When JNA or the C library cannot be loaded, every call
 * fails with an {@link IOException} saying so: the overlay probe then reports overlayfs unusable
 * and builds fall back to copied snapshots, which mount nothing.
 */
public final class KernelMounts {

  private static final int MS_RDONLY = 1;
  private static final int MNT_DETACH = 2;
  private static final int EINVAL = 22;
  private static final int ENOENT = 2;

  private KernelMounts() {}

  /**
   * Mounts an overlay at {@code target} with {@code data} as its options (no {@code ro} in them:
   * {@code readOnly} sets the read-only flag). Relative paths in {@code data} would resolve against
   * the process's working directory, so callers pass absolute ones.
   *
   * @throws IOException naming the target and the error when the kernel refuses
   */
  public static void mountOverlay(String data, boolean readOnly, Path target) throws IOException {
    byte[] where = c(target.toAbsolutePath().toString());
    try {
      Libc.check();
      Libc.mount(c("overlay"), where, c("overlay"), new NativeLong(readOnly ? MS_RDONLY : 0),
          c(data));
    } catch (LastErrorException e) {
      throw new IOException(
          "mounting an overlay at " + target + " failed: " + describe(e.getErrorCode())
              + " (options " + data + ")",
          e);
    }
  }

  /**
   * Unmounts {@code target}; with {@code detach} lazily (MNT_DETACH), so that a mount still in use
   * goes once its last user leaves. Returns the errno on failure, 0 on success: callers decide
   * whether a busy mount is worth a lazy retry.
   *
   * @throws IOException when the C library cannot be bound
   */
  public static int unmount(Path target, boolean detach) throws IOException {
    try {
      Libc.check();
      Libc.umount2(c(target.toAbsolutePath().toString()), detach ? MNT_DETACH : 0);
      return 0;
    } catch (LastErrorException e) {
      return e.getErrorCode();
    }
  }

  /** A short text for an errno of mount(2) or umount2(2). */
  static String describe(int errno) {
    return switch (errno) {
      case 1 -> "operation not permitted (EPERM: needs root)";
      case ENOENT -> "no such file or directory (ENOENT)";
      case 16 -> "device or resource busy (EBUSY)";
      case 19 -> "file system type not supported (ENODEV: no overlay in this kernel)";
      case EINVAL -> "invalid argument (EINVAL: not a mount point, or options the file system"
          + " refuses)";
      case 36 -> "name too long (ENAMETOOLONG)";
      default -> "errno " + errno;
    };
  }

  private static byte[] c(String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[bytes.length + 1];
    System.arraycopy(bytes, 0, out, 0, bytes.length);
    return out;
  }

  /**
   * The two C library functions, bound by JNA direct mapping (no proxy, no reflection per call).
   * Bound once, when first needed, so a process that never mounts never loads it.
   */
  private static final class Libc {
    private static final Throwable FAILURE;

    static {
      Throwable failure = null;
      try {
        Native.register(Libc.class, "c");
      } catch (UnsatisfiedLinkError | RuntimeException e) {
        failure = e;
      }
      FAILURE = failure;
    }

    private Libc() {}

    /** Binds on first use; throws when binding failed. */
    static void check() throws IOException {
      if (FAILURE != null) {
        throw new IOException(
            "cannot call mount(2)/umount2(2): binding the C library through JNA failed: "
                + FAILURE);
      }
    }

    static native int mount(byte[] source, byte[] target, byte[] type, NativeLong flags,
        byte[] data) throws LastErrorException;

    static native int umount2(byte[] target, int flags) throws LastErrorException;
  }
}
