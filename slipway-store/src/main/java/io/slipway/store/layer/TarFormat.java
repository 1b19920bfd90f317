package io.slipway.store.layer;

/** Field offsets and type flags of the POSIX ustar header (POSIX.1-2001, "pax"). */
final class TarFormat {

  static final int BLOCK = 512;

  static final int NAME = 0;
  static final int NAME_LEN = 100;
  static final int MODE = 100;
  static final int UID = 108;
  static final int GID = 116;
  static final int ID_LEN = 8;
  static final int SIZE = 124;
  static final int SIZE_LEN = 12;
  static final int MTIME = 136;
  static final int MTIME_LEN = 12;
  static final int CHECKSUM = 148;
  static final int CHECKSUM_LEN = 8;
  static final int TYPE = 156;
  static final int LINKNAME = 157;
  static final int MAGIC = 257;
  static final int VERSION = 263;
  static final int UNAME = 265;
  static final int GNAME = 297;
  static final int OWNER_NAME_LEN = 32;
  static final int DEVMAJOR = 329;
  static final int DEVMINOR = 337;
  static final int PREFIX = 345;
  static final int PREFIX_LEN = 155;

  static final byte REGULAR = '0';
  static final byte REGULAR_OLD = 0;
  static final byte HARDLINK = '1';
  static final byte SYMLINK = '2';
  static final byte CHAR_DEVICE = '3';
  static final byte BLOCK_DEVICE = '4';
  static final byte DIRECTORY = '5';
  static final byte FIFO = '6';
  static final byte CONTIGUOUS = '7';
  static final byte PAX_LOCAL = 'x';
  static final byte PAX_GLOBAL = 'g';
  static final byte GNU_LONG_NAME = 'L';
  static final byte GNU_LONG_LINK = 'K';
  static final byte GNU_SPARSE = 'S';

  /** Largest value of a 7-digit octal field (uid, gid, device numbers): 2,097,151. */
  static final long MAX_ID = 07777777L;

  /** Largest value of an 11-digit octal field (size, mtime): 8 GiB - 1. */
  static final long MAX_SIZE = 077777777777L;

  /** PAX keyword prefix for extended attributes, as GNU tar, Go and BuildKit write them. */
  static final String XATTR_PREFIX = "SCHILY.xattr.";

  private TarFormat() {}

  static long padding(long size) {
    long rest = size % BLOCK;
    return rest == 0 ? 0 : BLOCK - rest;
  }
}
