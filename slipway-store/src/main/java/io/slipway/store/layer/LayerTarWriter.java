package io.slipway.store.layer;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * Encodes {@link LayerEntry layer entries} as a deterministic POSIX (pax) tar: the same entries
 * always give the same bytes. Only the fields an OCI layer needs are written: no atime or ctime,
 * owner names only when the entry carries them, device numbers only for device nodes, no padding
 * beyond the two end-of-archive blocks. A pax extended header is added only where a ustar field
 * cannot hold the value (names over 100 bytes or not ASCII, sizes of 8 GiB or more, ids above
 * 2,097,151, times before 1970 or after 2242) and for extended attributes, whose raw byte values
 * are kept exactly. Whiteouts are written as the empty {@code .wh.} files the OCI image spec
 * defines.
 *
 * <p>The caller decides the entry order; {@link LayerWriter} sorts. Not safe for concurrent use.
 * {@link #close()} writes the end of the archive and closes the stream.
 */
public final class LayerTarWriter implements Closeable {

  private static final byte[] ZERO_BLOCK = new byte[TarFormat.BLOCK];

  private final OutputStream out;
  private final Instant whiteoutTime;
  private final byte[] buffer = new byte[64 * 1024];
  private boolean finished;

  /**
   * @param whiteoutTime the modification time given to whiteout and opaque-marker files
   */
  public LayerTarWriter(OutputStream out, Instant whiteoutTime) {
    this.out = out;
    this.whiteoutTime = whiteoutTime;
  }

  /** Writes an entry without content; use {@link #write(LayerEntry.File, InputStream)} for files. */
  public void write(LayerEntry entry) throws IOException {
    switch (entry) {
      case LayerEntry.File file -> {
        if (file.size() != 0) {
          throw new IllegalArgumentException(file.path() + ": a non-empty file needs its content");
        }
        write(file, InputStream.nullInputStream());
      }
      case LayerEntry.Directory dir ->
          header(dir.path() + "/", TarFormat.DIRECTORY, dir.attributes(), 0, "", -1, -1);
      case LayerEntry.Symlink link ->
          header(link.path(), TarFormat.SYMLINK, link.attributes(), 0, link.target(), -1, -1);
      case LayerEntry.Hardlink link ->
          header(link.path(), TarFormat.HARDLINK, link.attributes(), 0, link.target(), -1, -1);
      case LayerEntry.Device dev -> {
        byte type =
            switch (dev.kind()) {
              case CHARACTER -> TarFormat.CHAR_DEVICE;
              case BLOCK -> TarFormat.BLOCK_DEVICE;
              case FIFO -> TarFormat.FIFO;
            };
        header(dev.path(), type, dev.attributes(), 0, "", dev.major(), dev.minor());
      }
      case LayerEntry.Whiteout whiteout ->
          header(
              EntryPaths.child(
                  EntryPaths.parent(whiteout.path()),
                  EntryPaths.WHITEOUT_PREFIX + EntryPaths.name(whiteout.path())),
              TarFormat.REGULAR,
              markerAttributes(),
              0,
              "",
              -1,
              -1);
      case LayerEntry.OpaqueMarker marker ->
          header(
              EntryPaths.child(marker.path(), EntryPaths.OPAQUE_MARKER),
              TarFormat.REGULAR,
              markerAttributes(),
              0,
              "",
              -1,
              -1);
    }
  }

  private EntryAttributes markerAttributes() {
    return EntryAttributes.ofMode(0).withMtime(whiteoutTime);
  }

  /**
   * Writes a regular file and exactly {@code file.size()} bytes of {@code content}.
   *
   * @throws SourceChangedException when {@code content} holds fewer or more bytes than the size
   */
  public void write(LayerEntry.File file, InputStream content) throws IOException {
    header(file.path(), TarFormat.REGULAR, file.attributes(), file.size(), "", -1, -1);
    long remaining = file.size();
    while (remaining > 0) {
      int n = content.read(buffer, 0, (int) Math.min(buffer.length, remaining));
      if (n < 0) {
        throw new SourceChangedException(
            file.path(), "shrank while being written: " + remaining + " of " + file.size()
                + " bytes missing");
      }
      out.write(buffer, 0, n);
      remaining -= n;
    }
    if (content.read() >= 0) {
      throw new SourceChangedException(
          file.path(), "grew while being written beyond its " + file.size() + " bytes");
    }
    out.write(ZERO_BLOCK, 0, (int) TarFormat.padding(file.size()));
  }

  private void header(
      String name,
      byte type,
      EntryAttributes attributes,
      long size,
      String linkName,
      int devMajor,
      int devMinor)
      throws IOException {
    if (finished) {
      throw new IOException("archive already finished");
    }
    // Sorted keys keep the extended header itself deterministic.
    Map<String, byte[]> pax = new TreeMap<>();
    byte[] block = new byte[TarFormat.BLOCK];
    putString(block, TarFormat.NAME, TarFormat.NAME_LEN, name, "path", pax);
    putString(block, TarFormat.LINKNAME, TarFormat.NAME_LEN, linkName, "linkpath", pax);
    putOctal(block, TarFormat.MODE, TarFormat.ID_LEN, attributes.mode());
    putNumber(block, TarFormat.UID, TarFormat.ID_LEN, attributes.uid(), TarFormat.MAX_ID, "uid", pax);
    putNumber(block, TarFormat.GID, TarFormat.ID_LEN, attributes.gid(), TarFormat.MAX_ID, "gid", pax);
    putNumber(
        block, TarFormat.SIZE, TarFormat.SIZE_LEN, size, TarFormat.MAX_SIZE, "size", pax);
    long mtime = attributes.mtime().getEpochSecond();
    if (mtime < 0 || mtime > TarFormat.MAX_SIZE) {
      pax.put("mtime", ascii(Long.toString(mtime)));
      mtime = 0;
    }
    putOctal(block, TarFormat.MTIME, TarFormat.MTIME_LEN, mtime);
    block[TarFormat.TYPE] = type;
    System.arraycopy(ascii("ustar\0"), 0, block, TarFormat.MAGIC, 6);
    block[TarFormat.VERSION] = '0';
    block[TarFormat.VERSION + 1] = '0';
    putString(block, TarFormat.UNAME, TarFormat.OWNER_NAME_LEN, attributes.uname(), "uname", pax);
    putString(block, TarFormat.GNAME, TarFormat.OWNER_NAME_LEN, attributes.gname(), "gname", pax);
    if (devMajor >= 0) {
      putDevice(block, TarFormat.DEVMAJOR, devMajor);
      putDevice(block, TarFormat.DEVMINOR, devMinor);
    }
    for (String xattr : attributes.xattrs().names()) {
      pax.put(TarFormat.XATTR_PREFIX + xattr, attributes.xattrs().get(xattr));
    }
    if (!pax.isEmpty()) {
      writePaxHeader(name, pax);
    }
    writeChecksum(block);
    out.write(block);
  }

  private void writePaxHeader(String name, Map<String, byte[]> records) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (Map.Entry<String, byte[]> record : records.entrySet()) {
      byte[] key = record.getKey().getBytes(StandardCharsets.UTF_8);
      byte[] value = record.getValue();
      // "%d %s=%s\n" where the decimal length counts itself.
      int rest = key.length + value.length + 3;
      int length = rest + Integer.toString(rest).length();
      if (Integer.toString(length).length() != Integer.toString(rest).length()) {
        length = rest + Integer.toString(length).length();
      }
      body.writeBytes(ascii(length + " "));
      body.writeBytes(key);
      body.write('=');
      body.writeBytes(value);
      body.write('\n');
    }
    byte[] block = new byte[TarFormat.BLOCK];
    String baseName = EntryPaths.name(trimSlash(name));
    putAsciiTruncated(block, TarFormat.NAME, TarFormat.NAME_LEN, "PaxHeaders/" + baseName);
    putOctal(block, TarFormat.MODE, TarFormat.ID_LEN, 0644);
    putOctal(block, TarFormat.UID, TarFormat.ID_LEN, 0);
    putOctal(block, TarFormat.GID, TarFormat.ID_LEN, 0);
    putOctal(block, TarFormat.SIZE, TarFormat.SIZE_LEN, body.size());
    putOctal(block, TarFormat.MTIME, TarFormat.MTIME_LEN, 0);
    block[TarFormat.TYPE] = TarFormat.PAX_LOCAL;
    System.arraycopy(ascii("ustar\0"), 0, block, TarFormat.MAGIC, 6);
    block[TarFormat.VERSION] = '0';
    block[TarFormat.VERSION + 1] = '0';
    writeChecksum(block);
    out.write(block);
    body.writeTo(out);
    out.write(ZERO_BLOCK, 0, (int) TarFormat.padding(body.size()));
  }

  private static String trimSlash(String name) {
    return name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
  }

  /** Writes the two zero blocks that end the archive; the stream stays open. */
  public void finish() throws IOException {
    if (!finished) {
      out.write(ZERO_BLOCK);
      out.write(ZERO_BLOCK);
      out.flush();
      finished = true;
    }
  }

  /** Finishes the archive and closes the stream. */
  @Override
  public void close() throws IOException {
    try {
      finish();
    } finally {
      out.close();
    }
  }

  private static void putString(
      byte[] block, int offset, int length, String value, String paxKey, Map<String, byte[]> pax) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= length && isAscii(bytes)) {
      System.arraycopy(bytes, 0, block, offset, bytes.length);
      return;
    }
    pax.put(paxKey, bytes);
    putAsciiTruncated(block, offset, length, value);
  }

  /** A readable stand-in for readers that ignore pax: non-ASCII bytes become {@code _}. */
  private static void putAsciiTruncated(byte[] block, int offset, int length, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    int n = Math.min(bytes.length, length);
    for (int i = 0; i < n; i++) {
      block[offset + i] = bytes[i] < 0x20 || bytes[i] > 0x7e ? (byte) '_' : bytes[i];
    }
  }

  private static boolean isAscii(byte[] bytes) {
    for (byte b : bytes) {
      if (b < 0x20 || b > 0x7e) {
        return false;
      }
    }
    return true;
  }

  private static void putNumber(
      byte[] block,
      int offset,
      int length,
      long value,
      long max,
      String paxKey,
      Map<String, byte[]> pax) {
    if (value > max) {
      pax.put(paxKey, ascii(Long.toString(value)));
      putOctal(block, offset, length, 0);
    } else {
      putOctal(block, offset, length, value);
    }
  }

  /** Zero-padded octal digits followed by one NUL, as GNU tar and Go write them. */
  private static void putOctal(byte[] block, int offset, int length, long value) {
    String digits = Long.toOctalString(value);
    int width = length - 1;
    int pad = width - digits.length();
    for (int i = 0; i < pad; i++) {
      block[offset + i] = '0';
    }
    for (int i = 0; i < digits.length(); i++) {
      block[offset + pad + i] = (byte) digits.charAt(i);
    }
    block[offset + width] = 0;
  }

  /** Device numbers above 7 octal digits use the base-256 form GNU tar reads. */
  private static void putDevice(byte[] block, int offset, int value) {
    if (value <= TarFormat.MAX_ID) {
      putOctal(block, offset, TarFormat.ID_LEN, value);
      return;
    }
    block[offset] = (byte) 0x80;
    for (int i = 0; i < Integer.BYTES; i++) {
      block[offset + TarFormat.ID_LEN - 1 - i] = (byte) (value >>> (8 * i));
    }
  }

  private static void writeChecksum(byte[] block) {
    for (int i = 0; i < TarFormat.CHECKSUM_LEN; i++) {
      block[TarFormat.CHECKSUM + i] = ' ';
    }
    long sum = 0;
    for (byte b : block) {
      sum += b & 0xff;
    }
    // Six octal digits, NUL, space: the form every tar reads.
    String digits = Long.toOctalString(sum);
    for (int i = 0; i < 6; i++) {
      int at = i - (6 - digits.length());
      block[TarFormat.CHECKSUM + i] = at < 0 ? (byte) '0' : (byte) digits.charAt(at);
    }
    block[TarFormat.CHECKSUM + 6] = 0;
    block[TarFormat.CHECKSUM + 7] = ' ';
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
