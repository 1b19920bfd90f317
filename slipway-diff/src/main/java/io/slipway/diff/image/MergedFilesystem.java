package io.slipway.diff.image;

import io.slipway.oci.Digest;
import io.slipway.oci.DigestAlgorithm;
import io.slipway.store.layer.LayerEntry;
import io.slipway.store.layer.LayerReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * The merged filesystem of an image, as a stream of {@link ImageFile}s in path order, computed by
 * reading every layer once (never unpacking it) into a {@link SpillingSorter} and then applying
 * whiteouts, opaque directories and replaced directories while walking the sorted records.
 *
 * <p>The walk keeps one frame per ancestor of the current path: memory grows with depth, not with
 * the number of files. A path's entries from layer {@code L} are hidden when a higher layer {@code
 * K > L} whites the path or an ancestor out, marks an ancestor opaque, or puts a non-directory at
 * an ancestor; the highest surviving entry wins. Not safe for concurrent use; close to delete the
 * spill file.
 */
final class MergedFilesystem implements AutoCloseable {
  private final SpillingSorter sorter;

  private MergedFilesystem(SpillingSorter sorter) {
    this.sorter = sorter;
  }

  /** Reads every layer of {@code image} into an index holding at most {@code limit} records in memory. */
  static MergedFilesystem index(LoadedImage image, int limit, Path tempDir) throws IOException {
    SpillingSorter sorter = new SpillingSorter(limit, tempDir);
    try {
      List<LoadedImage.Layer> layers = image.layers();
      byte[] chunk = new byte[64 * 1024];
      for (int i = 0; i < layers.size(); i++) {
        LoadedImage.Layer layer = layers.get(i);
        String path = "";
        try (LayerReader reader = LayerReader.open(layer.open())) {
          for (Optional<LayerEntry> next = reader.next(); next.isPresent(); next = reader.next()) {
            path = next.get().path();
            sorter.add(record(next.get(), i, reader.content(), chunk));
          }
        } catch (IOException | RuntimeException e) {
          throw new ImageInputException(image.label(), "layer " + i + " (" + layer.descriptor().digest()
              + ")" + (path.isEmpty() ? "" : " after " + path) + ": " + e.getMessage(), e);
        }
      }
      return new MergedFilesystem(sorter);
    } catch (IOException | RuntimeException e) {
      sorter.close();
      throw e;
    }
  }

  /** Index records written to disk: 0 when the index stayed in memory. */
  int spilledRuns() {
    return sorter.runs();
  }

  private static FsRecord record(LayerEntry entry, int layer, InputStream content, byte[] chunk)
      throws IOException {
    return switch (entry) {
      case LayerEntry.File file -> {
        MessageDigest hasher = DigestAlgorithm.SHA256.newHasher();
        for (int n = content.read(chunk); n >= 0; n = content.read(chunk)) {
          hasher.update(chunk, 0, n);
        }
        String digest = Digest.fromHash(DigestAlgorithm.SHA256, hasher.digest()).toString();
        yield of(file.path(), layer, ImageFile.Type.FILE, file.attributes(), file.size(), "", digest);
      }
      case LayerEntry.Directory dir -> of(dir.path(), layer, ImageFile.Type.DIRECTORY, dir.attributes(), 0, "", "");
      case LayerEntry.Symlink link -> of(link.path(), layer, ImageFile.Type.SYMLINK, link.attributes(), 0, link.target(), "");
      case LayerEntry.Hardlink link -> of(link.path(), layer, ImageFile.Type.HARDLINK, link.attributes(), 0, link.target(), "");
      case LayerEntry.Device device -> of(device.path(), layer, ImageFile.Type.DEVICE, device.attributes(), 0,
          device.kind().name().toLowerCase(java.util.Locale.ROOT) + " " + device.major() + "," + device.minor(), "");
      case LayerEntry.Whiteout whiteout -> new FsRecord(whiteout.path(), layer, FsRecord.WHITEOUT, 0, 0, 0, 0, "", "");
      case LayerEntry.OpaqueMarker opaque -> new FsRecord(opaque.path(), layer, FsRecord.OPAQUE, 0, 0, 0, 0, "", "");
    };
  }

  private static FsRecord of(String path, int layer, ImageFile.Type type,
      io.slipway.store.layer.EntryAttributes attributes, long size, String target, String digest) {
    return new FsRecord(path, layer, type.ordinal(), attributes.mode(), attributes.uid(), attributes.gid(),
        size, target, digest);
  }

  /** The merged entries in path order. Call once. */
  Iterator<ImageFile> files() throws IOException {
    return new Walk(sorter.sorted());
  }

  @Override
  public void close() throws IOException {
    sorter.close();
  }

  /** Applies the hiding rules one path at a time. */
  private static final class Walk implements Iterator<ImageFile> {
    private final Iterator<FsRecord> records;
    private final Deque<Frame> ancestors = new ArrayDeque<>();
    private final List<FsRecord> group = new ArrayList<>();
    private FsRecord pending;
    private ImageFile next;

    Walk(Iterator<FsRecord> records) {
      this.records = records;
      this.pending = records.hasNext() ? records.next() : null;
    }

    /** A path on the way down and the layer below which its descendants are hidden. */
    private record Frame(String path, int hideBelow) {}

    @Override
    public boolean hasNext() {
      while (next == null && pending != null) {
        next = step();
      }
      return next != null;
    }

    @Override
    public ImageFile next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      ImageFile file = next;
      next = null;
      return file;
    }

    private ImageFile step() {
      group.clear();
      String path = pending.path();
      while (pending != null && pending.path().equals(path)) {
        group.add(pending);
        pending = records.hasNext() ? records.next() : null;
      }
      while (!ancestors.isEmpty() && !FsRecord.isUnder(path, ancestors.peek().path())) {
        ancestors.pop();
      }
      int inherited = ancestors.isEmpty() ? 0 : ancestors.peek().hideBelow();
      int ownHide = inherited;
      int opaque = 0;
      for (FsRecord record : group) {
        if (record.kind() == FsRecord.WHITEOUT) {
          ownHide = Math.max(ownHide, record.layer());
        } else if (record.kind() == FsRecord.OPAQUE) {
          opaque = Math.max(opaque, record.layer());
        }
      }
      FsRecord winner = null;
      int childHide = Math.max(ownHide, opaque);
      for (FsRecord record : group) {
        if (record.isEntry() && record.layer() >= ownHide) {
          winner = record;
          if (record.kind() != ImageFile.Type.DIRECTORY.ordinal()) {
            // A file put over a directory removed everything a lower layer had under it.
            childHide = Math.max(childHide, record.layer());
          }
        }
      }
      ancestors.push(new Frame(path, childHide));
      return winner == null ? null : winner.toFile();
    }
  }
}
