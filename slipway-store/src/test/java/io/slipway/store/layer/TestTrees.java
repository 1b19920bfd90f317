package io.slipway.store.layer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

/** Builds small trees for layer tests and describes trees for comparison. */
final class TestTrees {

  static final byte[] CAPABILITY = {1, 0, 0, 2, (byte) 0x80, (byte) 0xff, 0, 0};

  private TestTrees() {}

  /** A tree exercising every entry kind a layer writer meets without root. */
  static void populate(Path root, Instant mtime) throws IOException {
    Files.createDirectories(root.resolve("etc/conf.d"));
    Files.writeString(root.resolve("etc/hostname"), "slipway\n");
    Files.writeString(root.resolve("etc/conf.d/app.conf"), "key=value\n");
    Files.createDirectories(root.resolve("usr/bin"));
    Path tool = root.resolve("usr/bin/tool");
    Files.writeString(tool, "#!/bin/sh\necho tool\n");
    Files.setAttribute(tool, "unix:mode", 04755);
    Files.createLink(root.resolve("usr/bin/tool-alias"), tool);
    Files.createSymbolicLink(root.resolve("usr/bin/sh"), Path.of("/bin/busybox"));
    Files.createSymbolicLink(root.resolve("etc/relative"), Path.of("../usr/bin/tool"));
    String longName = "d".repeat(60) + "/" + "f".repeat(120) + "-ünïcode.txt";
    Files.createDirectories(root.resolve(longName).getParent());
    Files.writeString(root.resolve(longName), "long\n");
    byte[] big = new byte[3 * 1024 * 1024 + 17];
    new Random(42).nextBytes(big);
    Files.write(root.resolve("usr/blob.bin"), big);
    NativeFiles.writeXattr(root.resolve("etc/hostname"), "user.slipway.cap", CAPABILITY);
    NativeFiles.mknod(root.resolve("etc/fifo"), NativeFiles.S_IFIFO, 0600, 0, 0);
    Files.createDirectories(root.resolve("var/empty"));
    Files.setAttribute(root.resolve("var/empty"), "unix:mode", 01777);
    touchAll(root, mtime);
  }

  static void touchAll(Path root, Instant mtime) throws IOException {
    FileTime time = FileTime.from(mtime);
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            NativeFiles.setTimes(file, mtime);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            Files.setLastModifiedTime(dir, time);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  /**
   * One line per path under {@code root}: type, mode, owner, mtime, size or link target, a content
   * hash and xattrs, sorted. Two trees describe equal when a layer carried them faithfully.
   */
  static List<String> describe(Path root, boolean withTimes) throws IOException {
    TreeMap<String, String> lines = new TreeMap<>();
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
              throws IOException {
            if (!dir.equals(root)) {
              lines.put(root.relativize(dir).toString(), line(dir, withTimes));
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            lines.put(root.relativize(file).toString(), line(file, withTimes));
            return FileVisitResult.CONTINUE;
          }
        });
    List<String> out = new ArrayList<>();
    lines.forEach((k, v) -> out.add(k + " " + v));
    return out;
  }

  private static String line(Path path, boolean withTimes) throws IOException {
    var unix = Files.readAttributes(path, "unix:mode,uid,gid,size,nlink,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
    int mode = (Integer) unix.get("mode");
    StringBuilder line = new StringBuilder(Integer.toOctalString(mode));
    line.append(' ').append(unix.get("uid")).append(':').append(unix.get("gid"));
    if (withTimes) {
      line.append(' ').append(unix.get("lastModifiedTime"));
    }
    if (Files.isSymbolicLink(path)) {
      line.append(" -> ").append(NativeFiles.readlink(path));
    } else if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
      line.append(" size=").append(unix.get("size")).append(" nlink=").append(unix.get("nlink"));
      try (InputStream in = Files.newInputStream(path)) {
        line.append(" sha=").append(sha256(in));
      }
    }
    if (!Files.isSymbolicLink(path)) {
      var xattrs = NativeFiles.readXattrs(path);
      xattrs.forEach((k, v) -> line.append(' ').append(k).append('=').append(java.util.HexFormat.of().formatHex(v)));
    }
    return line.toString();
  }

  static String sha256(InputStream in) throws IOException {
    var hasher = io.slipway.oci.DigestAlgorithm.SHA256.newHasher();
    byte[] buffer = new byte[65536];
    int n;
    while ((n = in.read(buffer)) >= 0) {
      hasher.update(buffer, 0, n);
    }
    return java.util.HexFormat.of().formatHex(hasher.digest());
  }

  /** Runs a program and returns its stdout; fails the test on a non-zero exit. */
  static String run(Path dir, String... command) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    process.getInputStream().transferTo(out);
    int code = process.waitFor();
    String text = out.toString(StandardCharsets.UTF_8);
    if (code != 0) {
      throw new AssertionError(String.join(" ", command) + " exited " + code + ":\n" + text);
    }
    return text;
  }
}
