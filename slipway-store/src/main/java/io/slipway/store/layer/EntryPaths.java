package io.slipway.store.layer;

import java.util.ArrayList;
import java.util.List;

/**
 * Normal form of entry paths: relative, {@code /}-separated, no empty, {@code .} or {@code ..}
 * components. Tar names from any producer ({@code ./usr/bin/}, {@code usr//bin}) are brought to
 * this form; names that try to leave the root ({@code ..} components, absolute names) are refused,
 * since no legitimate layer needs them. Stateless, so safe for concurrent use.
 */
public final class EntryPaths {

  /** Prefix of a whiteout file name (OCI image spec, "Whiteouts"). */
  public static final String WHITEOUT_PREFIX = ".wh.";

  /** Name of the opaque-directory marker inside the directory it makes opaque. */
  public static final String OPAQUE_MARKER = ".wh..wh..opq";

  private EntryPaths() {}

  /**
   * Brings a tar entry name to normal form; the root itself ({@code .}, {@code ./}) becomes the
   * empty string.
   *
   * @throws UnsafeEntryException when the name is absolute or has a {@code ..} component
   */
  public static String normalize(String raw) throws UnsafeEntryException {
    if (raw.indexOf('\0') >= 0) {
      throw new UnsafeEntryException(raw, "name contains a NUL byte");
    }
    if (raw.startsWith("/")) {
      throw new UnsafeEntryException(raw, "absolute name; layer entries must be relative to the root");
    }
    StringBuilder out = new StringBuilder(raw.length());
    for (String component : raw.split("/", -1)) {
      if (component.isEmpty() || component.equals(".")) {
        continue;
      }
      if (component.equals("..")) {
        throw new UnsafeEntryException(raw, "name has a \"..\" component");
      }
      if (!out.isEmpty()) {
        out.append('/');
      }
      out.append(component);
    }
    return out.toString();
  }

  /** True when {@code path} is already in normal form and not the root. */
  public static boolean isNormal(String path) {
    if (path.isEmpty() || path.startsWith("/") || path.endsWith("/") || path.indexOf('\0') >= 0) {
      return false;
    }
    for (String component : path.split("/", -1)) {
      if (component.isEmpty() || component.equals(".") || component.equals("..")) {
        return false;
      }
    }
    return true;
  }

  static void requireNormal(String path) {
    if (path == null || !isNormal(path)) {
      throw new IllegalArgumentException("not a normalized entry path: \"" + path + "\"");
    }
  }

  /** The components of a normalized path; none for the root. */
  public static List<String> components(String path) {
    return path.isEmpty() ? List.of() : List.of(path.split("/"));
  }

  /** The parent of a normalized path; the root's children have the empty parent. */
  public static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? "" : path.substring(0, slash);
  }

  /** The last component of a normalized path. */
  public static String name(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /** Joins a normalized directory path (possibly the root) and a child name. */
  public static String child(String directory, String name) {
    return directory.isEmpty() ? name : directory + "/" + name;
  }

  static List<String> split(String target) {
    List<String> parts = new ArrayList<>();
    for (String component : target.split("/")) {
      if (!component.isEmpty()) {
        parts.add(component);
      }
    }
    return parts;
  }
}
