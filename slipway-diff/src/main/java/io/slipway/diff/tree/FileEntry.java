package io.slipway.diff.tree;

/**
 * What a tree diff compares about one file: its type, permission bits, owner, size and, for a
 * symbolic link, its target. Modification times are left out on purpose: they differ between any
 * two builds of the same content. Immutable.
 *
 * @param type the kind of file
 * @param mode the permission bits, including set-uid, set-gid and sticky ({@code 07777})
 * @param uid numeric owner
 * @param gid numeric group
 * @param size bytes of a regular file or of a link's target path; 0 for directories and others
 * @param linkTarget the target of a symbolic link, empty for anything else
 */
public record FileEntry(FileType type, int mode, int uid, int gid, long size, String linkTarget) {

  /** The kinds of file a tree holds. */
  public enum FileType {
    FILE,
    DIRECTORY,
    SYMLINK,
    /** Devices, pipes and sockets: compared by type, mode and owner only. */
    OTHER
  }

  public FileEntry {
    if (type == null || linkTarget == null) {
      throw new IllegalArgumentException("type and linkTarget must not be null");
    }
  }

  /** The mode as four octal digits, as {@code ls} and {@code chmod} show it. */
  public String octalMode() {
    return String.format("%04o", mode);
  }
}
