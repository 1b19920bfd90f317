package io.slipway.diff.image;

import java.util.Objects;

/**
 * One path of an image's merged filesystem as the image diff compares it: type, permission bits,
 * owner, size, link target and content digest, and the layer that supplied it. Modification times
 * are left out, as in the directory diff. Immutable.
 *
 * @param path relative path, {@code /}-separated, no leading slash
 * @param type the kind of entry
 * @param mode permission bits ({@code 07777})
 * @param uid numeric owner
 * @param gid numeric group
 * @param size bytes of a regular file, 0 otherwise
 * @param linkTarget the target of a symbolic or hard link, empty otherwise
 * @param digest {@code sha256:…} of a regular file's content, empty otherwise
 * @param layer index of the layer (0 = lowest) that supplied this entry
 */
public record ImageFile(
    String path, Type type, int mode, long uid, long gid, long size, String linkTarget, String digest, int layer) {

  /** The kinds of entry a layer holds. */
  public enum Type {
    FILE,
    DIRECTORY,
    SYMLINK,
    HARDLINK,
    DEVICE
  }

  public ImageFile {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(linkTarget, "linkTarget");
    Objects.requireNonNull(digest, "digest");
  }

  /** The mode as four octal digits. */
  public String octalMode() {
    return String.format("%04o", mode);
  }
}
