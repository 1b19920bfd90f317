package io.slipway.diff.image;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Comparator;

/**
 * What one layer says about one path: an entry, a whiteout or an opaque-directory marker. The
 * unit the {@link SpillingSorter} orders by path (component by component, so a directory's
 * descendants follow it contiguously) and then by layer. Immutable.
 */
record FsRecord(
    String path, int layer, int kind, int mode, long uid, long gid, long size, String linkTarget, String digest) {

  static final int WHITEOUT = ImageFile.Type.values().length;
  static final int OPAQUE = WHITEOUT + 1;

  /** Rough heap cost of one record: the object, its path and its strings. */
  long heapBytes() {
    return 160 + 2L * (path.length() + linkTarget.length() + digest.length());
  }

  static final Comparator<String> PATH_ORDER = FsRecord::comparePaths;

  static final Comparator<FsRecord> ORDER =
      Comparator.<FsRecord, String>comparing(FsRecord::path, PATH_ORDER).thenComparingInt(FsRecord::layer);

  /** Orders paths as their component lists: {@code a/b} before {@code a-b}, and {@code a} before both. */
  static int comparePaths(String a, String b) {
    int length = Math.min(a.length(), b.length());
    for (int i = 0; i < length; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y) {
        return Character.compare(x == '/' ? '\0' : x, y == '/' ? '\0' : y);
      }
    }
    return Integer.compare(a.length(), b.length());
  }

  /** True when {@code path} lies under {@code dir}. */
  static boolean isUnder(String path, String dir) {
    return path.length() > dir.length() && path.startsWith(dir) && path.charAt(dir.length()) == '/';
  }

  boolean isEntry() {
    return kind < WHITEOUT;
  }

  ImageFile toFile() {
    return new ImageFile(path, ImageFile.Type.values()[kind], mode, uid, gid, size, linkTarget, digest, layer);
  }

  void write(DataOutput out) throws IOException {
    out.writeUTF(path);
    out.writeInt(layer);
    out.writeByte(kind);
    out.writeInt(mode);
    out.writeLong(uid);
    out.writeLong(gid);
    out.writeLong(size);
    out.writeUTF(linkTarget);
    out.writeUTF(digest);
  }

  static FsRecord read(DataInput in) throws IOException {
    return new FsRecord(in.readUTF(), in.readInt(), in.readByte(), in.readInt(), in.readLong(),
        in.readLong(), in.readLong(), in.readUTF(), in.readUTF());
  }
}
