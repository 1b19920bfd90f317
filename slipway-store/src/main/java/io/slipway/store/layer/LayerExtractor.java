package io.slipway.store.layer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies a layer to a directory, as a snapshotter unpacks it on top of the layers below. Nothing
 * is ever created, changed or removed outside {@code root}:
 *
 * <ul>
 *   <li>names that are absolute or have {@code ..} components are refused ({@link
 *       UnsafeEntryException}) before anything is written for them;
 *   <li>the parent directories of an entry are walked one component at a time without letting
 *       the operating system follow links: a symlink met on the way is resolved as if {@code root}
 *       were {@code /} (an absolute target starts again at {@code root}), and one whose target
 *       climbs above {@code root} is refused, so "create a symlink, then write through it" cannot
 *       leave the root;
 *   <li>the entry itself never follows a link: an existing file, symlink or directory in its place
 *       is removed first, and files are created with {@code O_EXCL};
 *   <li>hard link targets are resolved the same way and must be existing non-directories inside
 *       the root.
 * </ul>
 *
 * Whiteouts delete what is below, but never an entry extracted from this same layer; an opaque
 * marker empties its directory of everything not extracted from this same layer. With {@link
 * ExtractOptions#overlayFormat()} the layer is instead written as an overlayfs lower directory of
 * its own: whiteouts become character devices 0/0 and opaque markers the overlay attribute. Modes (including setuid/setgid/sticky), times and, as root,
 * owners and device nodes are applied; extended attributes are set where the filesystem allows.
 * Directory modes and times are applied last, after their children are written. The layer may be
 * compressed with gzip, zstd, bzip2 or xz, recognised by magic bytes; the diff ID is computed in
 * the same pass.
 *
 * <p>Assumes no other process changes {@code root} during extraction (the snapshotter owns it).
 * Memory grows with the number of directories and entries (their paths are remembered for opaque
 * markers and final directory times), never with file sizes. Stateless; each call is
 * independent, so safe for concurrent use on different roots.
 */
public final class LayerExtractor {

  private static final int MAX_SYMLINK_HOPS = 40;
  private static final String OVERLAY_OPAQUE = "trusted.overlay.opaque";

  private LayerExtractor() {}

  /** Extracts {@code layer} (any supported compression) into the existing directory {@code root}. */
  public static ExtractResult extract(InputStream layer, Path root, ExtractOptions options)
      throws IOException {
    Path realRoot = root.toRealPath();
    if (!Files.isDirectory(realRoot)) {
      throw new NotDirectoryException(root.toString());
    }
    try (LayerReader reader = LayerReader.open(layer)) {
      return new Extraction(realRoot, options, reader).run();
    }
  }

  /** One extraction; confined to the calling thread. */
  private static final class Extraction {
    private final Path root;
    private final ExtractOptions options;
    private final LayerReader reader;
    private final Set<String> written = new HashSet<>();
    private final List<DirectoryFinish> directories = new ArrayList<>();
    private final Map<Path, Integer> reopenedModes = new LinkedHashMap<>();
    private final byte[] buffer = new byte[64 * 1024];
    private long entries;
    private long skippedDevices;
    private long skippedXattrs;

    Extraction(Path root, ExtractOptions options, LayerReader reader) {
      this.root = root;
      this.options = options;
      this.reader = reader;
    }

    ExtractResult run() throws IOException {
      for (var next = reader.next(); next.isPresent(); next = reader.next()) {
        apply(next.get());
        entries++;
      }
      // Children are all written; now directory times stick. Deepest first is not needed since
      // setting a directory's time does not touch its parent's.
      // Lower directories opened for writing get their modes back, then this layer's directories
      // get theirs (a directory in both ends with this layer's mode).
      for (var reopened : reopenedModes.entrySet()) {
        BasicFileAttributes now = lstat(reopened.getKey());
        if (now != null && now.isDirectory()) {
          Files.setAttribute(reopened.getKey(), "unix:mode", reopened.getValue());
        }
      }
      for (DirectoryFinish dir : directories) {
        Files.setAttribute(dir.path, "unix:mode", dir.attributes.mode());
        setTime(dir.path, dir.attributes);
      }
      return new ExtractResult(reader.diffId(), entries, skippedDevices, skippedXattrs);
    }

    private void apply(LayerEntry entry) throws IOException {
      switch (entry) {
        case LayerEntry.Whiteout whiteout when options.overlayFormat() -> {
          Path parent = resolveDirectory(entry.path(), EntryPaths.parent(whiteout.path()), true);
          Path target = parent.resolve(EntryPaths.name(whiteout.path()));
          // Not recorded as written: an entry of this layer at the same path, before or after the
          // whiteout in the tar, is what the layer holds there (the rule of the case below).
          if (!written.contains(root.relativize(target).toString()) && lstat(target) == null) {
            ensureWritable(parent);
            OverlayFormat.createWhiteout(target);
          }
        }
        case LayerEntry.OpaqueMarker marker when options.overlayFormat() -> {
          Path dir = resolveDirectory(entry.path(), marker.path(), true);
          if (!NativeFiles.writeXattr(dir, OVERLAY_OPAQUE, new byte[] {'y'})) {
            throw new IOException(
                "cannot mark " + dir + " opaque for overlayfs: " + OVERLAY_OPAQUE
                    + " needs root and a file system with trusted extended attributes");
          }
        }
        case LayerEntry.Whiteout whiteout -> {
          Path parent = resolveDirectory(entry.path(), EntryPaths.parent(whiteout.path()), false);
          if (parent != null) {
            Path target = parent.resolve(EntryPaths.name(whiteout.path()));
            // OCI image spec: a whiteout hides only what lower layers hold, never an entry of
            // its own layer, whichever comes first in the tar (as the opaque marker below).
            if (!written.contains(root.relativize(target).toString()) && lstat(target) != null) {
              ensureWritable(parent);
              removeTree(target);
            }
          }
        }
        case LayerEntry.OpaqueMarker marker -> {
          Path dir = resolveDirectory(entry.path(), marker.path(), false);
          if (dir != null) {
            clearLower(dir);
          }
        }
        case LayerEntry.Directory dir -> {
          Path target = place(dir.path());
          BasicFileAttributes existing = lstat(target);
          if (existing == null || !existing.isDirectory()) {
            removeTree(target);
            Files.createDirectory(target);
          }
          setOwnerAndXattrs(target, dir.attributes(), false);
          directories.add(new DirectoryFinish(target, dir.attributes()));
        }
        case LayerEntry.File file -> {
          Path target = place(file.path());
          removeTree(target);
          try (OutputStream out =
              Files.newOutputStream(
                  target,
                  StandardOpenOption.CREATE_NEW,
                  StandardOpenOption.WRITE,
                  LinkOption.NOFOLLOW_LINKS)) {
            InputStream content = reader.content();
            int n;
            while ((n = content.read(buffer)) >= 0) {
              out.write(buffer, 0, n);
            }
          }
          finishNode(target, file.attributes());
        }
        case LayerEntry.Symlink link -> {
          Path target = place(link.path());
          removeTree(target);
          NativeFiles.symlink(link.target(), target);
          setOwnerAndXattrs(target, link.attributes(), true);
          setTime(target, link.attributes());
        }
        case LayerEntry.Hardlink link -> {
          Path existing = resolveLinkTarget(link);
          Path target = place(link.path());
          if (existing.equals(target)) {
            return;
          }
          removeTree(target);
          Files.createLink(target, existing);
        }
        case LayerEntry.Device device -> {
          boolean fifo = device.kind() == LayerEntry.DeviceKind.FIFO;
          if (!fifo && !options.devices()) {
            skippedDevices++;
            return;
          }
          Path target = place(device.path());
          removeTree(target);
          int type =
              switch (device.kind()) {
                case CHARACTER -> NativeFiles.S_IFCHR;
                case BLOCK -> NativeFiles.S_IFBLK;
                case FIFO -> NativeFiles.S_IFIFO;
              };
          NativeFiles.mknod(
              target, type, device.attributes().mode() & 0777, device.major(), device.minor());
          finishNode(target, device.attributes());
        }
      }
    }

    /** Resolves the parent of {@code path} (creating it if missing) and records the entry. */
    private Path place(String path) throws IOException {
      Path parent = resolveDirectory(path, EntryPaths.parent(path), true);
      ensureWritable(parent);
      Path target = parent.resolve(EntryPaths.name(path));
      written.add(root.relativize(target).toString());
      return target;
    }

    /**
     * Without root, a directory a lower layer made read-only ({@code 0555}, like {@code /proc})
     * cannot take new entries; it is opened for its owner until the end of the extraction. Root
     * (with {@code sameOwner}) is not bound by modes and skips this.
     */
    private void ensureWritable(Path dir) throws IOException {
      if (options.sameOwner() || reopenedModes.containsKey(dir)) {
        return;
      }
      int mode = (Integer) Files.getAttribute(dir, "unix:mode") & 07777;
      if ((mode & 0700) != 0700) {
        reopenedModes.put(dir, mode);
        Files.setAttribute(dir, "unix:mode", mode | 0700);
      }
    }

    private Path resolveLinkTarget(LayerEntry.Hardlink link) throws IOException {
      Path parent = resolveDirectory(link.path(), EntryPaths.parent(link.target()), false);
      Path target = parent == null ? null : parent.resolve(EntryPaths.name(link.target()));
      BasicFileAttributes attributes = target == null ? null : lstat(target);
      if (attributes == null) {
        throw new MalformedLayerException(
            link.path(), "hard link target \"" + link.target() + "\" does not exist in the root");
      }
      if (attributes.isDirectory()) {
        throw new UnsafeEntryException(
            link.path(), "hard link target \"" + link.target() + "\" is a directory");
      }
      return target;
    }

    /**
     * Walks {@code dir} (a normalized path, the empty string for the root) from the root, one
     * component at a time, resolving symlinks as if the root were {@code /}. Returns the real
     * directory inside the root, or null when {@code create} is false and a component is missing.
     */
    private Path resolveDirectory(String entryPath, String dir, boolean create) throws IOException {
      Deque<String> pending = new ArrayDeque<>(EntryPaths.components(dir));
      Deque<String> resolved = new ArrayDeque<>();
      int hops = 0;
      while (!pending.isEmpty()) {
        String component = pending.removeFirst();
        if (component.equals(".")) {
          continue;
        }
        if (component.equals("..")) {
          if (resolved.isEmpty()) {
            throw new UnsafeEntryException(
                entryPath, "a symlink on the way leads outside the extraction root");
          }
          resolved.removeLast();
          continue;
        }
        Path current = join(resolved).resolve(component);
        BasicFileAttributes attributes = lstat(current);
        if (attributes == null) {
          if (!create) {
            return null;
          }
          Files.createDirectory(current);
          resolved.addLast(component);
        } else if (attributes.isSymbolicLink()) {
          if (++hops > MAX_SYMLINK_HOPS) {
            throw new UnsafeEntryException(entryPath, "too many symlinks on the way");
          }
          String target = NativeFiles.readlink(current);
          if (target.startsWith("/")) {
            resolved.clear();
          }
          List<String> parts = EntryPaths.split(target);
          for (int i = parts.size() - 1; i >= 0; i--) {
            pending.addFirst(parts.get(i));
          }
        } else if (attributes.isDirectory()) {
          resolved.addLast(component);
        } else {
          throw new UnsafeEntryException(
              entryPath, "\"" + root.relativize(current) + "\" is not a directory");
        }
      }
      return join(resolved);
    }

    private Path join(Deque<String> components) {
      Path path = root;
      for (String c : components) {
        path = path.resolve(c);
      }
      return path;
    }

    private static BasicFileAttributes lstat(Path path) throws IOException {
      try {
        return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      } catch (NoSuchFileException e) {
        return null;
      }
    }

    /** Removes {@code path} and, for a directory, everything in it, following no symlink. */
    private void removeTree(Path path) throws IOException {
      BasicFileAttributes attributes = lstat(path);
      if (attributes == null) {
        return;
      }
      if (!attributes.isDirectory()) {
        Files.delete(path);
        return;
      }
      Files.walkFileTree(
          path,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
                throws IOException {
              // The directory goes away, so there is no mode to restore.
              if (!options.sameOwner()) {
                Files.setAttribute(dir, "unix:mode", 0700);
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.delete(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
              if (e != null) {
                throw e;
              }
              Files.delete(dir);
              return FileVisitResult.CONTINUE;
            }
          });
    }

    /** Removes from {@code dir} whatever this layer did not write, keeping this layer's entries. */
    private void clearLower(Path dir) throws IOException {
      ensureWritable(dir);
      List<Path> children = new ArrayList<>();
      try (DirectoryStream<Path> listing = Files.newDirectoryStream(dir)) {
        listing.forEach(children::add);
      }
      for (Path child : children) {
        if (!written.contains(root.relativize(child).toString())) {
          removeTree(child);
        } else {
          BasicFileAttributes attributes = lstat(child);
          if (attributes != null && attributes.isDirectory()) {
            clearLower(child);
          }
        }
      }
    }

    private void finishNode(Path target, EntryAttributes attributes) throws IOException {
      setOwnerAndXattrs(target, attributes, false);
      // After chown, which clears setuid and setgid bits. Following is safe: target was just
      // created as a non-link, and nio's no-follow chmod would open (and block on) a FIFO.
      Files.setAttribute(target, "unix:mode", attributes.mode());
      setTime(target, attributes);
    }

    private void setOwnerAndXattrs(Path target, EntryAttributes attributes, boolean symlink)
        throws IOException {
      if (options.sameOwner()) {
        Files.setAttribute(target, "unix:uid", (int) attributes.uid(), LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(target, "unix:gid", (int) attributes.gid(), LinkOption.NOFOLLOW_LINKS);
      }
      if (options.xattrs()) {
        for (String name : attributes.xattrs().names()) {
          // In a lower directory overlayfs would obey these (opaque, whiteout, redirect).
          if (options.overlayFormat() && name.startsWith("trusted.overlay.")) {
            skippedXattrs++;
            continue;
          }
          // Symlinks take only trusted.* and security.* attributes; user.* is refused by Linux.
          if (symlink && name.startsWith("user.")) {
            skippedXattrs++;
            continue;
          }
          if (!NativeFiles.writeXattr(target, name, attributes.xattrs().get(name))) {
            skippedXattrs++;
          }
        }
      } else {
        skippedXattrs += attributes.xattrs().names().size();
      }
    }

    private static void setTime(Path target, EntryAttributes attributes) throws IOException {
      NativeFiles.setTimes(target, attributes.mtime());
    }
  }

  private record DirectoryFinish(Path path, EntryAttributes attributes) {}
}
