package io.slipway.store.layer;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The few POSIX calls {@code java.nio.file} does not offer on Java 21: extended attributes in every
 * namespace ({@code security.*}, {@code trusted.*}, not only {@code user.*}), {@code mknod},
 * exact {@code readlink}/{@code symlink} (nio normalizes link targets) and the effective uid.
 * All calls act on the link itself, never following a final symlink. Stateless, so safe for
 * concurrent use.
 */
final class NativeFiles {

  private static final int ENODATA = 61;
  private static final int ERANGE = 34;
  private static final int ENOTSUP = 95;
  private static final int EPERM = 1;
  private static final int EACCES = 13;

  static final int S_IFIFO = 0010000;
  static final int S_IFCHR = 0020000;
  static final int S_IFBLK = 0060000;

  /** glibc's C library, bound by JNA. */
  interface LibC extends Library {
    NativeLong llistxattr(byte[] path, byte[] list, NativeLong size) throws LastErrorException;

    NativeLong lgetxattr(byte[] path, byte[] name, byte[] value, NativeLong size)
        throws LastErrorException;

    int lsetxattr(byte[] path, byte[] name, byte[] value, NativeLong size, int flags)
        throws LastErrorException;

    int lremovexattr(byte[] path, byte[] name) throws LastErrorException;

    int mknod(byte[] path, int mode, long dev) throws LastErrorException;

    NativeLong readlink(byte[] path, byte[] buffer, NativeLong size) throws LastErrorException;

    int symlink(byte[] target, byte[] path) throws LastErrorException;

    int utimensat(int dirfd, byte[] path, long[] times, int flags) throws LastErrorException;

    int geteuid();
  }

  private static final int AT_FDCWD = -100;
  private static final int AT_SYMLINK_NOFOLLOW = 0x100;

  private static final class Holder {
    static final LibC LIBC = Native.load("c", LibC.class);
  }

  private NativeFiles() {}

  private static byte[] c(Path path) {
    return c(path.toString());
  }

  private static byte[] c(String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[bytes.length + 1];
    System.arraycopy(bytes, 0, out, 0, bytes.length);
    return out;
  }

  static boolean isRoot() {
    return Holder.LIBC.geteuid() == 0;
  }

  /** Every extended attribute of {@code path} (not following a symlink), by name. */
  static Map<String, byte[]> readXattrs(Path path) throws IOException {
    Map<String, byte[]> values = new TreeMap<>();
    byte[] file = c(path);
    byte[] list;
    try {
      long size = Holder.LIBC.llistxattr(file, null, new NativeLong(0)).longValue();
      if (size <= 0) {
        return values;
      }
      list = new byte[(int) size];
      size = Holder.LIBC.llistxattr(file, list, new NativeLong(list.length)).longValue();
      list = Arrays.copyOf(list, (int) size);
    } catch (LastErrorException e) {
      if (e.getErrorCode() == ENOTSUP) {
        return values;
      }
      throw new IOException(path + ": listing extended attributes failed, errno " + e.getErrorCode());
    }
    int start = 0;
    for (int i = 0; i < list.length; i++) {
      if (list[i] == 0) {
        String name = new String(list, start, i - start, StandardCharsets.UTF_8);
        start = i + 1;
        readXattr(path, name).ifPresent(v -> values.put(name, v));
      }
    }
    return values;
  }

  /** One extended attribute of {@code path}, if set. */
  static Optional<byte[]> readXattr(Path path, String name) throws IOException {
    byte[] file = c(path);
    byte[] key = c(name);
    for (int attempt = 0; attempt < 4; attempt++) {
      try {
        long size = Holder.LIBC.lgetxattr(file, key, null, new NativeLong(0)).longValue();
        byte[] value = new byte[(int) size];
        if (size == 0) {
          return Optional.of(value);
        }
        long n = Holder.LIBC.lgetxattr(file, key, value, new NativeLong(size)).longValue();
        return Optional.of(Arrays.copyOf(value, (int) n));
      } catch (LastErrorException e) {
        if (e.getErrorCode() == ENODATA || e.getErrorCode() == ENOTSUP) {
          return Optional.empty();
        }
        if (e.getErrorCode() != ERANGE) {
          throw new IOException(
              path + ": reading extended attribute " + name + " failed, errno " + e.getErrorCode());
        }
        // ERANGE: the value grew between the two calls; ask again.
      }
    }
    throw new IOException(path + ": extended attribute " + name + " keeps changing size");
  }

  /**
   * Sets an extended attribute; returns false when the filesystem or our privileges do not allow
   * it (unsupported namespace, {@code trusted.*} without root).
   */
  static boolean writeXattr(Path path, String name, byte[] value) throws IOException {
    try {
      Holder.LIBC.lsetxattr(c(path), c(name), value, new NativeLong(value.length), 0);
      return true;
    } catch (LastErrorException e) {
      if (e.getErrorCode() == ENOTSUP || e.getErrorCode() == EPERM || e.getErrorCode() == EACCES) {
        return false;
      }
      throw new IOException(
          path + ": setting extended attribute " + name + " failed, errno " + e.getErrorCode());
    }
  }

  /** Removes an extended attribute; one that is not set is fine. */
  static void removeXattr(Path path, String name) throws IOException {
    try {
      Holder.LIBC.lremovexattr(c(path), c(name));
    } catch (LastErrorException e) {
      if (e.getErrorCode() != ENODATA) {
        throw new IOException(
            path + ": removing extended attribute " + name + " failed, errno " + e.getErrorCode());
      }
    }
  }

  /** Creates a device node or FIFO; {@code type} is one of the {@code S_IF*} constants. */
  static void mknod(Path path, int type, int mode, int major, int minor) throws IOException {
    try {
      Holder.LIBC.mknod(c(path), type | mode, makedev(major, minor));
    } catch (LastErrorException e) {
      throw new IOException(path + ": mknod failed, errno " + e.getErrorCode());
    }
  }

  /** glibc's {@code makedev}. */
  static long makedev(int major, int minor) {
    long ma = major & 0xffffffffL;
    long mi = minor & 0xffffffffL;
    return ((ma & 0xfffff000L) << 32) | ((ma & 0xfffL) << 8) | ((mi & 0xffffff00L) << 12) | (mi & 0xffL);
  }

  static int major(long dev) {
    return (int) (((dev >>> 32) & 0xfffff000L) | ((dev >>> 8) & 0xfffL));
  }

  static int minor(long dev) {
    return (int) (((dev >>> 12) & 0xffffff00L) | (dev & 0xffL));
  }

  /**
   * Sets access and modification time of {@code path} itself, also when it is a symlink or FIFO
   * (nio's no-follow variant opens the file, which blocks on a FIFO).
   */
  static void setTimes(Path path, Instant time) throws IOException {
    long[] times = {time.getEpochSecond(), time.getNano(), time.getEpochSecond(), time.getNano()};
    try {
      Holder.LIBC.utimensat(AT_FDCWD, c(path), times, AT_SYMLINK_NOFOLLOW);
    } catch (LastErrorException e) {
      throw new IOException(path + ": utimensat failed, errno " + e.getErrorCode());
    }
  }

  /** The symlink's target exactly as stored. */
  static String readlink(Path path) throws IOException {
    byte[] buffer = new byte[4096];
    try {
      long n = Holder.LIBC.readlink(c(path), buffer, new NativeLong(buffer.length)).longValue();
      return new String(buffer, 0, (int) n, StandardCharsets.UTF_8);
    } catch (LastErrorException e) {
      throw new IOException(path + ": readlink failed, errno " + e.getErrorCode());
    }
  }

  /** Creates a symlink holding {@code target} byte for byte. */
  static void symlink(String target, Path path) throws IOException {
    try {
      Holder.LIBC.symlink(c(target), c(path));
    } catch (LastErrorException e) {
      throw new IOException(path + ": symlink failed, errno " + e.getErrorCode());
    }
  }
}
