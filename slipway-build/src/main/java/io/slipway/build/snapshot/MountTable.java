package io.slipway.build.snapshot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Reads {@code /proc/self/mountinfo} to find and remove mounts under a directory: how a step and
 * the start-up sweep make sure no mount outlives the run that made it. Stateless; safe for
 * concurrent use.
 */
public final class MountTable {

  private MountTable() {}

  /** Mount points at or under {@code directory}, deepest first. */
  public static List<Path> mountPointsUnder(Path directory) throws IOException {
    Path base = directory.toAbsolutePath().normalize();
    List<Path> result = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
      String[] fields = line.split(" ");
      if (fields.length < 5) {
        continue;
      }
      Path point = Path.of(unescape(fields[4]));
      if (point.startsWith(base)) {
        result.add(point);
      }
    }
    result.sort(Comparator.comparingInt(Path::getNameCount).reversed());
    return result;
  }

  /**
   * Unmounts everything at or under {@code directory}, deepest first; a mount that is still busy
   * is detached lazily so that the directory can be removed. Runs even when interrupted.
   */
  public static void unmountAllUnder(Path directory) throws IOException {
    for (Path point : mountPointsUnder(directory)) {
      unmount(point);
    }
  }

  /**
   * Unmounts the mount at {@code point}, detaching it lazily when it is still busy; a point that
   * is no longer mounted is fine. For callers that know their mount point, this spares reading the
   * mount table. A system call, so it runs even when the thread is interrupted.
   */
  public static void unmount(Path point) throws IOException {
    if (KernelMounts.unmount(point, false) == 0) {
      return;
    }
    int lazy = KernelMounts.unmount(point, true);
    if (lazy != 0 && mountPointsUnder(point).contains(point.toAbsolutePath().normalize())) {
      throw new IOException("cannot unmount " + point + ": " + KernelMounts.describe(lazy));
    }
  }

  /** Decodes the octal escapes ({@code \040} for a space) mountinfo uses in paths. */
  static String unescape(String field) {
    StringBuilder out = new StringBuilder(field.length());
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c == '\\' && i + 3 < field.length()) {
        String octal = field.substring(i + 1, Math.min(i + 4, field.length()));
        if (octal.length() == 3 && octal.chars().allMatch(d -> d >= '0' && d <= '7')) {
          out.append((char) Integer.parseInt(octal, 8));
          i += 3;
          continue;
        }
      }
      out.append(c);
    }
    return out.toString();
  }
}
