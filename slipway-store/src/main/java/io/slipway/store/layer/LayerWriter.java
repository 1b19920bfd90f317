package io.slipway.store.layer;

import io.slipway.oci.Digest;
import io.slipway.oci.DigestAlgorithm;
import io.slipway.store.blob.BlobStore;
import io.slipway.store.blob.BlobWriter;
import io.slipway.store.compress.CompressingOutputStream;
import io.slipway.store.compress.Compression;
import io.slipway.store.compress.CompressionResult;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Writes a layer from a directory tree in one streaming pass: walks the tree, encodes a
 * deterministic tar ({@link LayerTarWriter}), compresses it and computes the diff ID, blob digest
 * and size on the way into the caller's sink (typically a blob store writer). Nothing is buffered
 * beyond one directory listing and one compression block.
 *
 * <p>Order: depth first, the children of each directory sorted by the bytes of their UTF-8 names;
 * within a directory its opaque marker comes first, then its whiteouts, then the other entries, so
 * an extractor that applies markers as it meets them never removes an entry of the same layer.
 * Files with several links inside the layer become tar hard links to the first one met. Recorded
 * per entry: type, permission bits, numeric owner, the time the {@link TimestampPolicy} gives,
 * extended attributes except host-specific ones ({@code security.selinux}) and overlayfs
 * bookkeeping ({@code trusted.overlay.*}, {@code user.overlay.*}). Not recorded: atime, ctime,
 * inode numbers, the root directory's own attributes, sockets.
 *
 * <p>Stateless; each call is independent, so safe for concurrent use on different trees.
 */
public final class LayerWriter {

  private static final int S_IFMT = 0170000;
  private static final int S_IFDIR = 0040000;
  private static final int S_IFREG = 0100000;
  private static final int S_IFLNK = 0120000;
  private static final int S_IFSOCK = 0140000;

  private static final String UNIX_ATTRIBUTES =
      "unix:mode,uid,gid,size,ino,dev,nlink,rdev,lastModifiedTime";

  /** Orders names as their UTF-8 bytes compare, which is what "sorted" means in a tar. */
  static final Comparator<String> BYTE_ORDER =
      (a, b) ->
          Arrays.compareUnsigned(
              a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

  private LayerWriter() {}

  /** Writes the layer for {@code changes} into {@code sink}, which stays open. */
  public static LayerDigests write(ChangeSet changes, LayerWriteOptions options, OutputStream sink)
      throws IOException {
    return run(changes, false, options, sink);
  }

  /**
   * Writes the layer an overlayfs upper directory stands for: a character device 0/0 is a
   * whiteout, a directory with {@code trusted.overlay.opaque} or {@code user.overlay.opaque} set
   * to {@code y} is opaque. Redirected or metacopy-only directories and files (overlay features
   * Slipway does not enable) are refused with {@link UnsupportedEntryException}.
   */
  public static LayerDigests writeOverlayUpper(
      Path upperDir, LayerWriteOptions options, OutputStream sink) throws IOException {
    return run(ChangeSet.of(upperDir), true, options, sink);
  }

  /**
   * Writes the layer for {@code changes} (an overlay upper dir when {@code overlay}) straight into
   * {@code store} and commits it under the digest computed on the way, so the layer is written
   * once and never read back. A failure aborts the ingest and leaves nothing in the store.
   */
  public static LayerDigests store(
      BlobStore store, ChangeSet changes, boolean overlay, LayerWriteOptions options)
      throws IOException {
    // A temporary ingest: a half-written layer is worthless after a crash, so the store may drop it.
    try (BlobWriter writer = store.newTemporaryWriter(DigestAlgorithm.SHA256)) {
      LayerDigests digests;
      try {
        OutputStream out = new BufferedOutputStream(new BlobWriterOutputStream(writer), 256 * 1024);
        digests = run(changes, overlay, options, out);
        out.flush();
        writer.commit(digests.digest(), digests.size());
      } catch (IOException | RuntimeException e) {
        try {
          writer.abort();
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      }
      return digests;
    }
  }

  /** Adapts a blob writer to the stream the compressor writes into; flushing is a no-op. */
  private static final class BlobWriterOutputStream extends OutputStream {
    private final BlobWriter writer;

    BlobWriterOutputStream(BlobWriter writer) {
      this.writer = writer;
    }

    @Override
    public void write(int b) throws IOException {
      writer.write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      writer.write(b, off, len);
    }
  }

  /**
   * Compresses the stored uncompressed layer {@code tar} (whose digest is its diff ID) into a new
   * blob of {@code store}, in one streaming pass that also re-hashes the tar: a stored tar whose
   * content no longer matches its digest is refused rather than compressed. The output depends on
   * {@code compression} and {@code level} only, not on {@code threads}. A failure aborts the ingest
   * and leaves nothing in the store.
   *
   * @throws IOException also when the stored tar does not hash to {@code tar}
   */
  public static LayerDigests compressStored(
      BlobStore store, Digest tar, Compression compression, int level, int threads)
      throws IOException {
    try (BlobWriter writer = store.newTemporaryWriter(DigestAlgorithm.SHA256);
        InputStream in = Channels.newInputStream(store.openChannel(tar))) {
      try {
        OutputStream out = new BufferedOutputStream(new BlobWriterOutputStream(writer), 256 * 1024);
        CompressionResult result = compress(
            CompressingOutputStream.open(out, compression, level, threads), in::transferTo);
        out.flush();
        if (!result.uncompressedDigest().equals(tar)) {
          throw new IOException("stored layer " + tar + " is corrupt: its content hashes to "
              + result.uncompressedDigest() + "; run slipway fsck --repair");
        }
        writer.commit(result.compressedDigest(), result.compressedSize());
        return new LayerDigests(result.compression(), result.uncompressedDigest(),
            result.uncompressedSize(), result.compressedDigest(), result.compressedSize());
      } catch (IOException | RuntimeException e) {
        try {
          writer.abort();
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      }
    }
  }

  /** Writes the uncompressed tar of {@code changes} into {@code tar}, which stays open. */
  public static void writeTar(
      ChangeSet changes, boolean overlay, LayerWriteOptions options, OutputStream tar)
      throws IOException {
    LayerTarWriter writer = new LayerTarWriter(tar, options.timestamps().markerTime());
    new Walk(changes, overlay, options, writer).run();
    writer.finish();
  }

  private static LayerDigests run(
      ChangeSet changes, boolean overlay, LayerWriteOptions options, OutputStream sink)
      throws IOException {
    CompressionResult result = compress(
        CompressingOutputStream.open(
            sink, options.compression(), options.level(), options.gzipThreads()),
        compressed -> writeTar(changes, overlay, options, compressed));
    return new LayerDigests(
        result.compression(),
        result.uncompressedDigest(),
        result.uncompressedSize(),
        result.compressedDigest(),
        result.compressedSize());
  }

  /** Writes the uncompressed bytes of a layer into the stream it is given. */
  @FunctionalInterface
  private interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  /**
   * Writes {@code content} through {@code compressed} and finishes it. On a failure the stream is
   * finished too, which stops its compression threads; the partial output is the caller's to
   * discard, and the first error is the one thrown.
   */
  private static CompressionResult compress(CompressingOutputStream compressed, Content content)
      throws IOException {
    try {
      content.writeTo(compressed);
      return compressed.finish();
    } catch (IOException | RuntimeException e) {
      try {
        compressed.finish();
      } catch (IOException | RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /** One walk over one tree; confined to the calling thread. */
  private static final class Walk {
    private final ChangeSet changes;
    private final boolean overlay;
    private final LayerWriteOptions options;
    private final LayerTarWriter tar;
    private final NavigableSet<String> deletions;
    private final Map<String, String> firstLinkByInode = new HashMap<>();

    Walk(ChangeSet changes, boolean overlay, LayerWriteOptions options, LayerTarWriter tar) {
      this.changes = changes;
      this.overlay = overlay;
      this.options = options;
      this.tar = tar;
      this.deletions = new TreeSet<>(changes.deletions());
    }

    void run() throws IOException {
      Path root = changes.root();
      if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
        throw new NotDirectoryException(root.toString());
      }
      walk(root, "", overlay && isOverlayOpaque(NativeFiles.readXattrs(root)));
    }

    private void walk(Path dir, String rel, boolean overlayOpaque) throws IOException {
      if (overlayOpaque || changes.opaqueDirectories().contains(rel)) {
        tar.write(new LayerEntry.OpaqueMarker(rel));
      }
      TreeMap<String, Boolean> children = new TreeMap<>(BYTE_ORDER);
      TreeSet<String> whiteouts = new TreeSet<>(BYTE_ORDER);
      if (dir != null) {
        try (DirectoryStream<Path> listing = Files.newDirectoryStream(dir)) {
          for (Path child : listing) {
            String name = child.getFileName().toString();
            // An overlay whiteout device joins the deletions here, not the walk, so it lands
            // where a deletion list puts it: the same change gets the same digest either way.
            if (overlay && isOverlayWhiteout(child)) {
              whiteouts.add(name);
            } else {
              children.put(name, true);
            }
          }
        }
      }
      String prefix = rel.isEmpty() ? "" : rel + "/";
      for (String deleted : deletions.tailSet(prefix, true)) {
        if (!deleted.startsWith(prefix)) {
          break;
        }
        String rest = deleted.substring(prefix.length());
        int slash = rest.indexOf('/');
        if (slash < 0) {
          whiteouts.add(rest);
        } else {
          // A deletion below a directory the tree does not hold: visit it for the whiteout only.
          children.putIfAbsent(rest.substring(0, slash), false);
        }
      }
      for (String name : whiteouts) {
        tar.write(new LayerEntry.Whiteout(EntryPaths.child(rel, name)));
      }
      for (Map.Entry<String, Boolean> child : children.entrySet()) {
        String childRel = EntryPaths.child(rel, child.getKey());
        if (child.getValue()) {
          emit(dir.resolve(child.getKey()), childRel);
        } else {
          walk(null, childRel, false);
        }
      }
    }

    private static boolean isOverlayWhiteout(Path file) throws IOException {
      Map<String, Object> unix =
          Files.readAttributes(file, "unix:mode,rdev", LinkOption.NOFOLLOW_LINKS);
      return ((Integer) unix.get("mode") & S_IFMT) == NativeFiles.S_IFCHR
          && (Long) unix.get("rdev") == 0;
    }

    private void emit(Path file, String rel) throws IOException {
      if (EntryPaths.name(rel).startsWith(EntryPaths.WHITEOUT_PREFIX)) {
        throw new UnsupportedEntryException(
            rel, "names starting with .wh. are reserved for whiteouts in OCI layers");
      }
      Map<String, Object> unix = Files.readAttributes(file, UNIX_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
      int mode = (Integer) unix.get("mode");
      int type = mode & S_IFMT;
      long rdev = (Long) unix.get("rdev");
      if (type == S_IFSOCK) {
        return;
      }
      Map<String, byte[]> rawXattrs = NativeFiles.readXattrs(file);
      if (overlay) {
        for (String feature : new String[] {"redirect", "metacopy"}) {
          if (rawXattrs.containsKey("trusted.overlay." + feature)
              || rawXattrs.containsKey("user.overlay." + feature)) {
            throw new UnsupportedEntryException(
                rel, "overlayfs " + feature + " is not supported; mount without it");
          }
        }
      }
      EntryAttributes attributes = attributes(file, mode, unix, rawXattrs);
      switch (type) {
        case S_IFDIR -> {
          tar.write(new LayerEntry.Directory(rel, attributes));
          walk(file, rel, overlay && isOverlayOpaque(rawXattrs));
        }
        case S_IFREG -> {
          int links = (Integer) unix.get("nlink");
          if (links > 1) {
            String inode = unix.get("dev") + ":" + unix.get("ino");
            String first = firstLinkByInode.putIfAbsent(inode, rel);
            if (first != null) {
              tar.write(new LayerEntry.Hardlink(rel, attributes, first));
              return;
            }
          }
          long size = (Long) unix.get("size");
          try (InputStream content = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            tar.write(new LayerEntry.File(rel, attributes, size), content);
          }
        }
        case S_IFLNK ->
            tar.write(new LayerEntry.Symlink(rel, attributes, NativeFiles.readlink(file)));
        case NativeFiles.S_IFCHR, NativeFiles.S_IFBLK, NativeFiles.S_IFIFO -> {
          LayerEntry.DeviceKind kind =
              type == NativeFiles.S_IFCHR
                  ? LayerEntry.DeviceKind.CHARACTER
                  : type == NativeFiles.S_IFBLK
                      ? LayerEntry.DeviceKind.BLOCK
                      : LayerEntry.DeviceKind.FIFO;
          boolean fifo = kind == LayerEntry.DeviceKind.FIFO;
          tar.write(
              new LayerEntry.Device(
                  rel,
                  attributes,
                  kind,
                  fifo ? 0 : NativeFiles.major(rdev),
                  fifo ? 0 : NativeFiles.minor(rdev)));
        }
        default ->
            throw new UnsupportedEntryException(
                rel, "unknown file type " + Integer.toOctalString(type));
      }
    }

    private EntryAttributes attributes(
        Path file, int mode, Map<String, Object> unix, Map<String, byte[]> rawXattrs)
        throws IOException {
      Map<String, byte[]> kept = new TreeMap<>();
      rawXattrs.forEach(
          (name, value) -> {
            if (!name.startsWith("trusted.overlay.")
                && !name.startsWith("user.overlay.")
                && !name.equals("security.selinux")) {
              kept.put(name, value);
            }
          });
      String uname = "";
      String gname = "";
      if (options.ownerNames()) {
        PosixFileAttributes posix =
            Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        uname = posix.owner().getName();
        gname = posix.group().getName();
      }
      FileTime mtime = (FileTime) unix.get("lastModifiedTime");
      EntryAttributes recorded = new EntryAttributes(
          mode & 07777,
          ((Integer) unix.get("uid")) & 0xffffffffL,
          ((Integer) unix.get("gid")) & 0xffffffffL,
          uname,
          gname,
          options.timestamps().apply(mtime.toInstant()),
          Xattrs.of(kept));
      return options.owners().apply(recorded);
    }

    private static boolean isOverlayOpaque(Map<String, byte[]> xattrs) {
      for (String name : new String[] {"trusted.overlay.opaque", "user.overlay.opaque"}) {
        byte[] value = xattrs.get(name);
        if (value != null && value.length == 1 && value[0] == 'y') {
          return true;
        }
      }
      return false;
    }
  }
}
