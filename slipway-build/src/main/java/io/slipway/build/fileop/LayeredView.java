package io.slipway.build.fileop;

import io.slipway.build.context.PathNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * A file system seen as a writable upper directory over an optional read-only lower tree, with
 * container paths resolved the way the kernel would after {@code chroot}: symlinks are followed,
 * but an absolute target starts again at the root and {@code ..} never climbs above it. So a COPY
 * through a symlink in the target (even one pointing at {@code /} or {@code ../../..}) lands
 * inside the root. Confined to the thread running one file operation.
 */
public final class LayeredView {

  private static final int MAX_LINKS = 255;

  private final Path upper;
  private final Optional<Path> lower;

  /** A view of {@code upper} over {@code lower}. */
  public LayeredView(Path upper, Optional<Path> lower) {
    this.upper = upper;
    this.lower = lower;
  }

  /** The writable upper directory. */
  public Path upper() {
    return upper;
  }

  /**
   * Resolves {@code containerPath} to a clean absolute path with no symlink among its parents
   * (and none at the end when {@code followLast}), relative to the root.
   */
  public String resolve(String containerPath, boolean followLast) throws IOException {
    Deque<String> pending = new ArrayDeque<>(components(containerPath));
    List<String> done = new ArrayList<>();
    int links = 0;
    while (!pending.isEmpty()) {
      String name = pending.pollFirst();
      if (name.equals("..")) {
        if (!done.isEmpty()) {
          done.removeLast();
        }
        continue;
      }
      done.add(name);
      boolean last = pending.isEmpty();
      String current = "/" + String.join("/", done);
      Optional<Path> host = locate(current);
      if (host.isEmpty() || (last && !followLast)
          || !Files.isSymbolicLink(host.get())) {
        continue;
      }
      if (++links > MAX_LINKS) {
        throw new FileOpException("too many levels of symbolic links resolving " + containerPath);
      }
      String target = Files.readSymbolicLink(host.get()).toString();
      done.removeLast();
      List<String> replacement = components(target);
      if (target.startsWith("/")) {
        done.clear();
      }
      for (int i = replacement.size() - 1; i >= 0; i--) {
        pending.addFirst(replacement.get(i));
      }
    }
    return "/" + String.join("/", done);
  }

  /** The host path holding {@code cleanPath} in the view (upper first), if it exists. */
  public Optional<Path> locate(String cleanPath) {
    Path inUpper = host(upper, cleanPath);
    if (Files.exists(inUpper, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.of(inUpper);
    }
    if (lower.isPresent()) {
      Path inLower = host(lower.get(), cleanPath);
      if (Files.exists(inLower, LinkOption.NOFOLLOW_LINKS)) {
        return Optional.of(inLower);
      }
    }
    return Optional.empty();
  }

  /** The host path of {@code cleanPath} in the upper directory. */
  public Path upperPath(String cleanPath) {
    return host(upper, cleanPath);
  }

  /** The host path of {@code cleanPath} in the lower tree, if there is one. */
  public Optional<Path> lowerPath(String cleanPath) {
    return lower.map(l -> host(l, cleanPath));
  }

  static Path host(Path root, String cleanPath) {
    Path result = root;
    for (String name : components(cleanPath)) {
      result = result.resolve(name);
    }
    return result;
  }

  static List<String> components(String path) {
    List<String> result = new ArrayList<>();
    for (String part : path.split("/")) {
      if (!part.isEmpty() && !part.equals(".")) {
        result.add(part);
      }
    }
    return result;
  }

  /** Cleans {@code path} into an absolute path (Go's {@code path.Clean} after a leading slash). */
  static String clean(String path) {
    String cleaned = PathNames.clean("/" + path);
    return cleaned.isEmpty() ? "/" : cleaned;
  }
}
