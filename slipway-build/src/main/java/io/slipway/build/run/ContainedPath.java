package io.slipway.build.run;

import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Resolves a container path against a root file system on the host the way the kernel would after
 * {@code chroot(root)}: symbolic links are followed, but absolute link targets and {@code ..} are
 * taken relative to the root, so the result never leaves it. Reading {@code /etc/passwd} or
 * creating a mount point through a link such as {@code /var/run -> /run} goes through here.
 *
 * <p>The result is only as good as the tree is stable: callers use it on a root no process is
 * changing. Stateless; safe for concurrent use.
 */
public final class ContainedPath {

  private static final int MAX_LINKS = 255;

  private ContainedPath() {}

  /**
   * The host path that {@code containerPath} names inside {@code root}, following every symbolic
   * link on the way including the last component. Components that do not exist are appended as
   * they are.
   */
  public static Path resolve(Path root, String containerPath) throws IOException {
    Deque<String> pending = new ArrayDeque<>();
    push(pending, containerPath);
    Deque<String> resolved = new ArrayDeque<>();
    int links = 0;
    while (!pending.isEmpty()) {
      String part = pending.pop();
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        resolved.pollLast();
        continue;
      }
      Path candidate = join(root, resolved).resolve(part);
      if (Files.isSymbolicLink(candidate)) {
        if (++links > MAX_LINKS) {
          throw new FileSystemLoopException(containerPath);
        }
        String target = Files.readSymbolicLink(candidate).toString();
        if (target.startsWith("/")) {
          resolved.clear();
        }
        push(pending, target);
        continue;
      }
      resolved.addLast(part);
    }
    return join(root, resolved);
  }

  /** The container path of {@code hostPath} under {@code root}, such as {@code /etc/passwd}. */
  public static String containerPath(Path root, Path hostPath) {
    Path relative = root.relativize(hostPath);
    return relative.toString().isEmpty() ? "/" : "/" + relative;
  }

  /** True when {@code path} exists inside {@code root} without following a final link. */
  static boolean exists(Path hostPath) {
    return Files.exists(hostPath, LinkOption.NOFOLLOW_LINKS);
  }

  private static void push(Deque<String> pending, String path) {
    String[] parts = path.split("/");
    for (int i = parts.length - 1; i >= 0; i--) {
      pending.push(parts[i]);
    }
  }

  private static Path join(Path root, Deque<String> parts) {
    Path result = root;
    for (String part : parts) {
      result = result.resolve(part);
    }
    return result;
  }
}
