package io.slipway.store.layer;

import io.slipway.oci.Digest;
import io.slipway.store.compress.Compression;
import io.slipway.store.compress.DigestingInputStream;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads a layer as a stream of {@link LayerEntry entries} with whiteouts decoded: {@code .wh.x}
 * becomes a {@link LayerEntry.Whiteout} of {@code x} and {@code .wh..wh..opq} an {@link
 * LayerEntry.OpaqueMarker}; aufs bookkeeping names ({@code .wh..wh.plnk} and the like) are
 * skipped, as the reference engines skip them. File contents are never buffered: {@link
 * #content()} streams the current file from the archive, and moving to the next entry skips what
 * was not read. Extended headers are capped at 1 MiB so a hostile archive cannot exhaust memory.
 *
 * <p>Understands POSIX pax (local and global headers, binary {@code SCHILY.xattr.*} values), ustar
 * name prefixes, GNU long names and base-256 numbers, which covers what Docker, BuildKit,
 * containerd, Go, GNU tar and Slipway write. Sparse files are refused with {@link
 * UnsupportedEntryException}. Entry names are normalized by {@link EntryPaths#normalize}, so an
 * entry that names an absolute path or a {@code ..} component fails with {@link
 * UnsafeEntryException} before anything acts on it.
 *
 * <p>Not safe for concurrent use: one thread iterates. Closing closes the input.
 */
public final class LayerReader implements Closeable {

  static final int MAX_EXTENDED_HEADER = 1 << 20;

  private final DigestingInputStream in;
  private final byte[] block = new byte[TarFormat.BLOCK];
  private final Map<String, byte[]> globals = new HashMap<>();
  private long remaining;
  private long padding;
  private boolean ended;
  private String currentPath = "";
  private final EntryContent content = new EntryContent();
  private Digest diffId;

  private LayerReader(InputStream tar) {
    this.in = new DigestingInputStream(tar);
  }

  /** Reads a layer in any compression {@link Compression#detect} recognises. */
  public static LayerReader open(InputStream layer) throws IOException {
    return new LayerReader(
        new BufferedInputStream(Compression.decompressDetected(layer), 64 * 1024));
  }

  /** Reads an uncompressed tar. */
  public static LayerReader openTar(InputStream tar) {
    return new LayerReader(new BufferedInputStream(tar, 64 * 1024));
  }

  /**
   * The next entry, or empty at the end of the archive. Unread content of the previous file is
   * skipped.
   */
  public Optional<LayerEntry> next() throws IOException {
    Map<String, byte[]> pax = new TreeMap<>();
    String longName = null;
    String longLink = null;
    while (true) {
      skipRest();
      if (ended || !readBlock()) {
        return end();
      }
      if (isZero(block)) {
        return end();
      }
      verifyChecksum();
      byte type = block[TarFormat.TYPE];
      String rawName = headerName();
      long headerSize = number(TarFormat.SIZE, TarFormat.SIZE_LEN, "size", rawName);
      switch (type) {
        case TarFormat.PAX_LOCAL -> {
          pax.putAll(parsePax(readExtended(headerSize, rawName), rawName));
          continue;
        }
        case TarFormat.PAX_GLOBAL -> {
          Map<String, byte[]> global = parsePax(readExtended(headerSize, rawName), rawName);
          global.keySet().removeIf(k -> k.equals("path") || k.equals("linkpath") || k.equals("size"));
          globals.putAll(global);
          continue;
        }
        case TarFormat.GNU_LONG_NAME -> {
          longName = cString(readExtended(headerSize, rawName));
          continue;
        }
        case TarFormat.GNU_LONG_LINK -> {
          longLink = cString(readExtended(headerSize, rawName));
          continue;
        }
        default -> {}
      }
      Map<String, byte[]> effective = new TreeMap<>(globals);
      effective.putAll(pax);
      String name = effective.containsKey("path") ? utf8(effective.get("path")) : longName;
      if (name == null) {
        name = rawName;
      }
      Optional<LayerEntry> entry = decode(type, name, longLink, headerSize, effective);
      pax.clear();
      longName = null;
      longLink = null;
      if (entry.isPresent()) {
        return entry;
      }
    }
  }

  /**
   * The content of the file {@link #next()} returned last, positioned where the caller left it;
   * empty for other entries. Closing it does nothing; it is valid until the next call to {@link
   * #next()}.
   */
  public InputStream content() {
    return content;
  }

  /**
   * The diff ID: sha256 of the uncompressed tar. Available once {@link #next()} has returned empty,
   * having read the archive to its very end.
   */
  public Digest diffId() {
    if (!ended) {
      throw new IllegalStateException("diffId is known only after the last entry");
    }
    return diffId;
  }

  /** Uncompressed bytes read so far. */
  public long uncompressedBytes() {
    return in.count();
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  private Optional<LayerEntry> end() throws IOException {
    if (!ended) {
      ended = true;
      remaining = 0;
      padding = 0;
      // Read to the very end so the diff ID covers the trailing blocks and verifying streams
      // underneath reach their end-of-stream check.
      in.transferTo(OutputStream.nullOutputStream());
      diffId = in.digest();
    }
    return Optional.empty();
  }

  private Optional<LayerEntry> decode(
      byte type, String rawName, String longLink, long headerSize, Map<String, byte[]> pax)
      throws IOException {
    for (String key : pax.keySet()) {
      if (key.startsWith("GNU.sparse.")) {
        throw new UnsupportedEntryException(rawName, "sparse files are not supported in layers");
      }
    }
    if (type == TarFormat.GNU_SPARSE) {
      throw new UnsupportedEntryException(rawName, "sparse files are not supported in layers");
    }
    currentPath = rawName;
    long size =
        pax.containsKey("size") ? paxLong(pax, "size", rawName) : headerSize;
    if (size < 0) {
      throw new MalformedLayerException(rawName, "negative size");
    }
    remaining = size;
    padding = TarFormat.padding(size);
    content.limit = 0;
    boolean directory =
        type == TarFormat.DIRECTORY
            || ((type == TarFormat.REGULAR || type == TarFormat.REGULAR_OLD) && rawName.endsWith("/"));
    String path = EntryPaths.normalize(rawName);
    if (path.isEmpty()) {
      if (directory) {
        // The root's own entry ("./"): the root exists already and layers do not change it.
        return Optional.empty();
      }
      throw new MalformedLayerException(rawName, "a non-directory entry names the root");
    }
    String parent = EntryPaths.parent(path);
    String base = EntryPaths.name(path);
    if (base.startsWith(EntryPaths.WHITEOUT_PREFIX)) {
      if (base.equals(EntryPaths.OPAQUE_MARKER)) {
        return Optional.of(new LayerEntry.OpaqueMarker(parent));
      }
      if (base.startsWith(EntryPaths.WHITEOUT_PREFIX + EntryPaths.WHITEOUT_PREFIX)) {
        return Optional.empty();
      }
      String hidden = base.substring(EntryPaths.WHITEOUT_PREFIX.length());
      if (hidden.isEmpty() || hidden.equals(".") || hidden.equals("..")) {
        throw new UnsafeEntryException(rawName, "whiteout names no entry");
      }
      return Optional.of(new LayerEntry.Whiteout(EntryPaths.child(parent, hidden)));
    }
    EntryAttributes attributes = attributes(rawName, pax);
    String linkName =
        pax.containsKey("linkpath")
            ? utf8(pax.get("linkpath"))
            : longLink != null ? longLink : field(TarFormat.LINKNAME, TarFormat.NAME_LEN);
    LayerEntry entry;
    if (directory) {
      entry = new LayerEntry.Directory(path, attributes);
    } else {
      entry =
          switch (type) {
            case TarFormat.REGULAR, TarFormat.REGULAR_OLD, TarFormat.CONTIGUOUS -> {
              content.limit = size;
              yield new LayerEntry.File(path, attributes, size);
            }
            case TarFormat.HARDLINK -> {
              if (linkName.isEmpty()) {
                throw new MalformedLayerException(rawName, "hard link without a target");
              }
              String target;
              try {
                target = EntryPaths.normalize(linkName);
              } catch (UnsafeEntryException e) {
                throw new UnsafeEntryException(rawName, "hard link target " + e.getMessage());
              }
              if (target.isEmpty()) {
                throw new UnsafeEntryException(rawName, "hard link to the root directory");
              }
              yield new LayerEntry.Hardlink(path, attributes, target);
            }
            case TarFormat.SYMLINK -> {
              if (linkName.isEmpty()) {
                throw new MalformedLayerException(rawName, "symbolic link without a target");
              }
              yield new LayerEntry.Symlink(path, attributes, linkName);
            }
            case TarFormat.CHAR_DEVICE, TarFormat.BLOCK_DEVICE, TarFormat.FIFO -> {
              LayerEntry.DeviceKind kind =
                  type == TarFormat.CHAR_DEVICE
                      ? LayerEntry.DeviceKind.CHARACTER
                      : type == TarFormat.BLOCK_DEVICE
                          ? LayerEntry.DeviceKind.BLOCK
                          : LayerEntry.DeviceKind.FIFO;
              int major = (int) number(TarFormat.DEVMAJOR, TarFormat.ID_LEN, "devmajor", rawName);
              int minor = (int) number(TarFormat.DEVMINOR, TarFormat.ID_LEN, "devminor", rawName);
              yield new LayerEntry.Device(path, attributes, kind, major, minor);
            }
            default ->
                throw new UnsupportedEntryException(
                    rawName, "tar entry type '" + (char) type + "' has no meaning in a layer");
          };
    }
    return Optional.of(entry);
  }

  private EntryAttributes attributes(String rawName, Map<String, byte[]> pax) throws IOException {
    int mode = (int) (number(TarFormat.MODE, TarFormat.ID_LEN, "mode", rawName) & 07777);
    long uid =
        pax.containsKey("uid")
            ? paxLong(pax, "uid", rawName)
            : number(TarFormat.UID, TarFormat.ID_LEN, "uid", rawName);
    long gid =
        pax.containsKey("gid")
            ? paxLong(pax, "gid", rawName)
            : number(TarFormat.GID, TarFormat.ID_LEN, "gid", rawName);
    long mtime;
    if (pax.containsKey("mtime")) {
      try {
        mtime = new BigDecimal(utf8(pax.get("mtime"))).setScale(0, RoundingMode.FLOOR).longValueExact();
      } catch (ArithmeticException | NumberFormatException e) {
        throw new MalformedLayerException(rawName, "bad pax mtime", e);
      }
    } else {
      mtime = number(TarFormat.MTIME, TarFormat.MTIME_LEN, "mtime", rawName);
    }
    String uname =
        pax.containsKey("uname")
            ? utf8(pax.get("uname"))
            : field(TarFormat.UNAME, TarFormat.OWNER_NAME_LEN);
    String gname =
        pax.containsKey("gname")
            ? utf8(pax.get("gname"))
            : field(TarFormat.GNAME, TarFormat.OWNER_NAME_LEN);
    Map<String, byte[]> xattrs = new TreeMap<>();
    for (Map.Entry<String, byte[]> e : pax.entrySet()) {
      if (e.getKey().startsWith(TarFormat.XATTR_PREFIX)) {
        String name = e.getKey().substring(TarFormat.XATTR_PREFIX.length());
        if (!name.isEmpty()) {
          xattrs.put(name, e.getValue());
        }
      }
    }
    if (uid < 0 || gid < 0) {
      throw new MalformedLayerException(rawName, "negative uid or gid");
    }
    return new EntryAttributes(
        mode, uid, gid, uname, gname, Instant.ofEpochSecond(mtime), Xattrs.of(xattrs));
  }

  private boolean readBlock() throws IOException {
    int n = in.readNBytes(block, 0, TarFormat.BLOCK);
    if (n == 0) {
      // Archives that stop without the end-of-archive blocks are common and harmless.
      return false;
    }
    if (n < TarFormat.BLOCK) {
      throw new MalformedLayerException(currentPath, "archive truncated inside a header");
    }
    return true;
  }

  private static boolean isZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  private void verifyChecksum() throws IOException {
    long unsigned = 0;
    long signed = 0;
    for (int i = 0; i < TarFormat.BLOCK; i++) {
      boolean inField = i >= TarFormat.CHECKSUM && i < TarFormat.CHECKSUM + TarFormat.CHECKSUM_LEN;
      byte b = inField ? (byte) ' ' : block[i];
      unsigned += b & 0xff;
      signed += b;
    }
    long stored = octal(TarFormat.CHECKSUM, TarFormat.CHECKSUM_LEN, "checksum", headerName());
    if (stored != unsigned && stored != signed) {
      throw new MalformedLayerException(
          headerName(), "header checksum mismatch (not a tar, or corrupted)");
    }
  }

  private String headerName() {
    String name = field(TarFormat.NAME, TarFormat.NAME_LEN);
    boolean posix =
        block[TarFormat.MAGIC + 5] == 0
            && new String(block, TarFormat.MAGIC, 5, StandardCharsets.US_ASCII).equals("ustar");
    if (posix) {
      String prefix = field(TarFormat.PREFIX, TarFormat.PREFIX_LEN);
      if (!prefix.isEmpty()) {
        return prefix + "/" + name;
      }
    }
    return name;
  }

  private String field(int offset, int length) {
    int end = offset;
    while (end < offset + length && block[end] != 0) {
      end++;
    }
    return new String(block, offset, end - offset, StandardCharsets.UTF_8);
  }

  private long number(int offset, int length, String field, String name) throws IOException {
    if ((block[offset] & 0x80) != 0) {
      // Base-256: big-endian two's complement; bit 0x40 of the first byte is the sign.
      long value = (block[offset] & 0x40) != 0 ? -1 : 0;
      value = (value << 6) | (block[offset] & 0x3f);
      for (int i = 1; i < length; i++) {
        long top = value >> 55;
        if (top != 0 && top != -1) {
          throw new MalformedLayerException(name, field + " field out of range");
        }
        value = (value << 8) | (block[offset + i] & 0xff);
      }
      return value;
    }
    return octal(offset, length, field, name);
  }

  private long octal(int offset, int length, String field, String name) throws IOException {
    int i = offset;
    int end = offset + length;
    while (i < end && (block[i] == ' ' || block[i] == 0)) {
      i++;
    }
    long value = 0;
    int digits = 0;
    for (; i < end && block[i] != ' ' && block[i] != 0; i++) {
      int d = block[i] - '0';
      if (d < 0 || d > 7) {
        throw new MalformedLayerException(name, "bad octal digit in " + field + " field");
      }
      value = (value << 3) | d;
      digits++;
    }
    if (digits > 21) {
      throw new MalformedLayerException(name, field + " field out of range");
    }
    return value;
  }

  private byte[] readExtended(long size, String rawName) throws IOException {
    if (size < 0 || size > MAX_EXTENDED_HEADER) {
      throw new MalformedLayerException(
          rawName, "extended header of " + size + " bytes exceeds " + MAX_EXTENDED_HEADER);
    }
    byte[] data = in.readNBytes((int) size);
    if (data.length < size) {
      throw new MalformedLayerException(rawName, "archive truncated inside an extended header");
    }
    skipExactly(TarFormat.padding(size), rawName);
    return data;
  }

  private static String cString(byte[] data) {
    int end = 0;
    while (end < data.length && data[end] != 0) {
      end++;
    }
    return new String(data, 0, end, StandardCharsets.UTF_8);
  }

  private static String utf8(byte[] data) {
    return new String(data, StandardCharsets.UTF_8);
  }

  private static long paxLong(Map<String, byte[]> pax, String key, String name)
      throws MalformedLayerException {
    try {
      return Long.parseLong(utf8(pax.get(key)).trim());
    } catch (NumberFormatException e) {
      throw new MalformedLayerException(name, "bad pax " + key, e);
    }
  }

  /** Parses {@code "%d %s=%s\n"} records, keeping values as raw bytes. */
  private static Map<String, byte[]> parsePax(byte[] data, String name)
      throws MalformedLayerException {
    Map<String, byte[]> records = new TreeMap<>();
    int pos = 0;
    while (pos < data.length) {
      if (data[pos] == 0) {
        break;
      }
      int space = pos;
      int length = 0;
      while (space < data.length && data[space] != ' ') {
        int d = data[space] - '0';
        if (d < 0 || d > 9 || length > MAX_EXTENDED_HEADER) {
          throw new MalformedLayerException(name, "bad pax record length");
        }
        length = length * 10 + d;
        space++;
      }
      int end = pos + length;
      if (space >= data.length || length == 0 || end > data.length || data[end - 1] != '\n') {
        throw new MalformedLayerException(name, "bad pax record");
      }
      int equals = space + 1;
      while (equals < end && data[equals] != '=') {
        equals++;
      }
      if (equals >= end) {
        throw new MalformedLayerException(name, "pax record without '='");
      }
      String key = new String(data, space + 1, equals - space - 1, StandardCharsets.UTF_8);
      byte[] value = Arrays.copyOfRange(data, equals + 1, end - 1);
      records.put(key, value);
      pos = end;
    }
    return records;
  }

  private void skipRest() throws IOException {
    skipExactly(remaining + padding, currentPath);
    remaining = 0;
    padding = 0;
    content.limit = 0;
  }

  private void skipExactly(long n, String name) throws IOException {
    try {
      in.skipNBytes(n);
    } catch (EOFException e) {
      throw new MalformedLayerException(name, "archive truncated inside entry data", e);
    }
  }

  /** The current file's bytes; reading it advances the archive. */
  private final class EntryContent extends InputStream {
    long limit;

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (limit == 0) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, limit));
      if (n < 0) {
        throw new MalformedLayerException(currentPath, "archive truncated inside file content");
      }
      limit -= n;
      remaining -= n;
      return n;
    }

    @Override
    public int available() throws IOException {
      return (int) Math.min(in.available(), limit);
    }

    @Override
    public void close() {}
  }
}
