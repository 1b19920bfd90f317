package io.slipway.build.engine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Describes a root file system one line per entry, for comparing two builders' results: path →
 * type, permission bits (with set-id and sticky bits), owner, and the link target, content hash or
 * device number; a regular file with several links also names the first path of its hard-link
 * group. Times are left out: they differ between any two builds. Stateless.
 */
final class RootfsListing {

  private RootfsListing() {}

  /** The entries under {@code root} (the root itself excluded), sorted by path. */
  static Map<String, String> describe(Path root) throws IOException {
    Map<String, String> entries = new TreeMap<>();
    Map<String, List<String>> inodes = new TreeMap<>();
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(root)) {
      paths = walk.sorted().toList();
    }
    for (Path path : paths) {
      String relative = root.relativize(path).toString();
      if (relative.isEmpty()) {
        // The root's own mode is the mount point's (buildah mounts 0555), not image content.
        continue;
      }
      Map<String, Object> unix = Files.readAttributes(path, "unix:*", LinkOption.NOFOLLOW_LINKS);
      int mode = (Integer) unix.get("mode");
      String detail;
      if (Files.isSymbolicLink(path)) {
        detail = "link " + Files.readSymbolicLink(path);
      } else if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
        detail = "dir";
      } else if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
        detail = "file " + sha256(path);
        if ((Integer) unix.get("nlink") > 1) {
          inodes.computeIfAbsent(unix.get("dev") + ":" + unix.get("ino"), k -> new ArrayList<>())
              .add(relative);
        }
      } else {
        detail = "special " + Integer.toOctalString(mode & 0170000) + " " + unix.get("rdev");
      }
      String permissions = Files.isSymbolicLink(path) ? "" : Integer.toOctalString(mode & 07777);
      entries.put(relative,
          detail + " " + permissions + " " + unix.get("uid") + ":" + unix.get("gid"));
    }
    for (List<String> group : inodes.values()) {
      // Only links inside the tree count: a group of one is a file linked from outside it.
      if (group.size() > 1) {
        for (String member : group) {
          entries.put(member, entries.get(member) + " hardlink-of " + group.getFirst());
        }
      }
    }
    return entries;
  }

  private static String sha256(Path file) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
