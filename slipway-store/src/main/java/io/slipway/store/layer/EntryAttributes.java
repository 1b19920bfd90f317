package io.slipway.store.layer;

import java.time.Instant;
import java.util.Objects;

/**
 * The metadata a layer keeps for one entry: permission bits (including setuid, setgid and sticky),
 * numeric owner, optional owner names, modification time and extended attributes. Times are whole
 * seconds, as a deterministic layer stores them. Immutable.
 *
 * @param mode the low twelve bits of {@code st_mode}
 * @param uname owner name, empty when not recorded (the default: names are host-dependent)
 * @param gname group name, empty when not recorded
 */
public record EntryAttributes(
    int mode, long uid, long gid, String uname, String gname, Instant mtime, Xattrs xattrs) {

  /** Root-owned, mode {@code 0755} for directories and {@code 0644} otherwise, time zero. */
  public static final EntryAttributes DEFAULT_FILE =
      new EntryAttributes(0644, 0, 0, "", "", Instant.EPOCH, Xattrs.none());

  /** Root-owned directory attributes, mode {@code 0755}, time zero. */
  public static final EntryAttributes DEFAULT_DIRECTORY =
      new EntryAttributes(0755, 0, 0, "", "", Instant.EPOCH, Xattrs.none());

  public EntryAttributes {
    if ((mode & ~07777) != 0) {
      throw new IllegalArgumentException("mode " + Integer.toOctalString(mode) + " has type bits");
    }
    if (uid < 0 || gid < 0) {
      throw new IllegalArgumentException("negative uid or gid: " + uid + ":" + gid);
    }
    Objects.requireNonNull(uname, "uname");
    Objects.requireNonNull(gname, "gname");
    mtime = Instant.ofEpochSecond(Objects.requireNonNull(mtime, "mtime").getEpochSecond());
    Objects.requireNonNull(xattrs, "xattrs");
  }

  /** Root-owned attributes with the given mode and time zero. */
  public static EntryAttributes ofMode(int mode) {
    return new EntryAttributes(mode, 0, 0, "", "", Instant.EPOCH, Xattrs.none());
  }

  public EntryAttributes withMode(int newMode) {
    return new EntryAttributes(newMode, uid, gid, uname, gname, mtime, xattrs);
  }

  public EntryAttributes withOwner(long newUid, long newGid) {
    return new EntryAttributes(mode, newUid, newGid, uname, gname, mtime, xattrs);
  }

  public EntryAttributes withMtime(Instant newMtime) {
    return new EntryAttributes(mode, uid, gid, uname, gname, newMtime, xattrs);
  }

  public EntryAttributes withXattrs(Xattrs newXattrs) {
    return new EntryAttributes(mode, uid, gid, uname, gname, mtime, newXattrs);
  }

  public EntryAttributes withNames(String newUname, String newGname) {
    return new EntryAttributes(mode, uid, gid, newUname, newGname, mtime, xattrs);
  }
}
