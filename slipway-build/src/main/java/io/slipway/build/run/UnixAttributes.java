package io.slipway.build.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;

/**
 * The attributes of one file as {@code lstat} reports them, read through the JDK's {@code unix}
 * attribute view. Immutable.
 */
record UnixAttributes(int mode, int uid, int gid, long size, FileTime modified, long rdev) {

  static final int S_IFMT = 0170000;
  static final int S_IFDIR = 0040000;
  static final int S_IFREG = 0100000;
  static final int S_IFLNK = 0120000;

  static UnixAttributes of(Path path) throws IOException {
    Map<String, Object> a =
        Files.readAttributes(
            path, "unix:mode,uid,gid,size,lastModifiedTime,rdev", LinkOption.NOFOLLOW_LINKS);
    return new UnixAttributes(
        (Integer) a.get("mode"),
        (Integer) a.get("uid"),
        (Integer) a.get("gid"),
        (Long) a.get("size"),
        (FileTime) a.get("lastModifiedTime"),
        (Long) a.get("rdev"));
  }

  int type() {
    return mode & S_IFMT;
  }

  boolean isDirectory() {
    return type() == S_IFDIR;
  }

  boolean isRegularFile() {
    return type() == S_IFREG;
  }

  boolean isSymbolicLink() {
    return type() == S_IFLNK;
  }

  /** Same type, permission bits and owner. */
  boolean sameOwnershipAndMode(UnixAttributes other) {
    return mode == other.mode && uid == other.uid && gid == other.gid;
  }

  /** Sets owner, permission bits and modification time of {@code path} to these. */
  void applyTo(Path path) throws IOException {
    Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(path, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
    if (!isSymbolicLink()) {
      Files.setAttribute(path, "unix:mode", mode & 07777);
    }
    Files.setLastModifiedTime(path, modified);
  }
}
