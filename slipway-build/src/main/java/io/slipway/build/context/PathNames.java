package io.slipway.build.context;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Slash-separated path cleaning with Go's {@code path.Clean} rules: repeated slashes collapse,
 * {@code .} elements go, {@code ..} removes the element before it (and is dropped at the root), a
 * trailing slash goes, and the empty path becomes {@code .}. Stateless and thread-safe.
 */
public final class PathNames {

  private PathNames() {}

  /** The shortest path equivalent to {@code path} by purely lexical processing. */
  public static String clean(String path) {
    if (path.isEmpty()) {
      return ".";
    }
    boolean rooted = path.startsWith("/");
    Deque<String> parts = new ArrayDeque<>();
    for (String element : path.split("/")) {
      if (element.isEmpty() || element.equals(".")) {
        continue;
      }
      if (element.equals("..")) {
        if (!parts.isEmpty() && !parts.peekLast().equals("..")) {
          parts.removeLast();
        } else if (!rooted) {
          parts.addLast("..");
        }
        continue;
      }
      parts.addLast(element);
    }
    String joined = String.join("/", parts);
    if (rooted) {
      return "/" + joined;
    }
    return joined.isEmpty() ? "." : joined;
  }
}
