package io.slipway.build.snapshot;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Mounts overlayfs stacks, and finds out once per file system whether that works at all.
 * Stateless apart from the per-file-system probe results; safe for concurrent use.
 *
 * <p>A stack whose options fit in one page with absolute paths is mounted with mount(2) directly
 * ({@link KernelMounts}): a RUN step mounts one per step, and a system call costs far less than
 * starting a program. A deeper stack is mounted by the host's {@code mount} started in the lower
 * directories' common parent, with the lower directories named relative to it (the kernel
 * resolves them against the caller's working directory, which a multi-threaded JVM cannot change
 * for one call): the kernel takes at most one page of mount options, and 64-hex-digit names
 * instead of absolute paths roughly double the layers that fit.
 */
public final class OverlayMount {

  /** The kernel's limit on the mount options string: one page, with its terminating zero. */
  public static final int MAX_OPTIONS = 4095;

  private static final String PROBE_PREFIX = "tmp-probe-";
  private static final Map<FileStore, Optional<String>> PROBES = new ConcurrentHashMap<>();

  private OverlayMount() {}

  /**
   * Mounts {@code lowers} (topmost first) at {@code target}; with {@code upper} and {@code work}
   * (both or neither) the mount is writable, otherwise read-only (which needs two lowers or more).
   * Redirects, metacopy and the inode index are off, so an upper directory is a plain layer
   * directory that the layer writer understands and that can be a lower layer later. A writable
   * overlay is volatile (no syncing of the upper directory; Linux 5.10 or later, which the probe
   * checks): its upper directory is scratch until its changes are written into a layer blob.
   *
   * @throws IOException when the options exceed {@link #MAX_OPTIONS} (flatten the stack) or the
   *     mount fails
   */
  public static void mount(List<Path> lowers, Path upper, Path work, Path target)
      throws IOException, InterruptedException {
    if (lowers.isEmpty()) {
      throw new IllegalArgumentException("an overlay needs at least one lower directory");
    }
    if ((upper == null) != (work == null)) {
      throw new IllegalArgumentException("an overlay upper directory needs a work directory");
    }
    String absolute = options(lowers, null, upper, work, false);
    if (absolute.length() <= MAX_OPTIONS) {
      KernelMounts.mountOverlay(absolute, upper == null, target);
      return;
    }
    Path parent = commonParent(lowers);
    String options = options(lowers, parent, upper, work, true);
    if (options.length() > MAX_OPTIONS) {
      throw new IOException(
          "overlay mount options for " + lowers.size() + " layers exceed one page ("
              + options.length() + " bytes); flatten the snapshot");
    }
    HostCommand.run(
        List.of("mount", "-t", "overlay", "overlay", "-o", options,
            target.toAbsolutePath().toString()),
        parent);
  }

  /** The length of the options {@link #mount} would pass for these directories. */
  public static int optionsLength(List<Path> lowers, Path upper, Path work) {
    return options(lowers, commonParent(lowers), upper, work, true).length();
  }

  /**
   * The overlay options; lower directories relative to {@code parent} unless it is null, and
   * {@code ro} for a read-only mount only when {@code mount(8)} reads them ({@code withRo}), since
   * mount(2) takes read-only as a flag.
   */
  private static String options(List<Path> lowers, Path parent, Path upper, Path work,
      boolean withRo) {
    List<String> names = new ArrayList<>();
    for (Path lower : lowers) {
      names.add(escape(parent == null ? lower.toAbsolutePath().toString()
          : lower.getFileName().toString()));
    }
    StringBuilder options = new StringBuilder();
    if (upper == null && withRo) {
      options.append("ro,");
    }
    options.append("lowerdir=").append(String.join(":", names));
    if (upper != null) {
      options.append(",upperdir=").append(escape(upper.toAbsolutePath().toString()));
      options.append(",workdir=").append(escape(work.toAbsolutePath().toString()));
      // Nothing reads a writable overlay's upper directory after a crash: a RUN step's layer is
      // written from it into a blob that is itself made durable, and a crashed step's bundle is
      // swept. So the overlay need not sync its upper file system: not at unmount (a flush of
      // the whole file system the state lives on, every step) and not for the fsyncs a RUN's
      // programs make (package managers make many).
      options.append(",volatile");
    }
    options.append(",index=off,redirect_dir=off,metacopy=off");
    return options.toString();
  }

  /** The one directory every lower lives in, or null when they live in different ones. */
  private static Path commonParent(List<Path> lowers) {
    Path parent = lowers.getFirst().toAbsolutePath().getParent();
    for (Path lower : lowers) {
      if (parent == null || !parent.equals(lower.toAbsolutePath().getParent())) {
        return null;
      }
    }
    return parent;
  }

  private static String escape(String path) {
    if (path.contains(",") || path.contains(":")) {
      throw new IllegalArgumentException("overlay layer path may not contain ',' or ':': " + path);
    }
    return path;
  }

  /**
   * Why a writable overlay with a whiteout cannot be used in {@code directory}, or empty when it
   * can: mounts a tiny two-layer overlay there, deletes a lower file through it and checks that the
   * upper directory got a whiteout. Overlay over overlay, or an upper directory on a file system
   * without trusted extended attributes, fails here rather than in a build. Probed once per file
   * system and process, and a pass is remembered in {@code directory} for the rest of the boot
   * ({@link OverlayProbeMark}); the probe's files are removed.
   */
  public static Optional<String> unusableReason(Path directory)
      throws IOException, InterruptedException {
    Files.createDirectories(directory);
    // Even when the answer is known: a killed process's probe stays mounted until swept.
    sweepProbes(directory);
    FileStore store = Files.getFileStore(directory);
    Optional<String> known = PROBES.get(store);
    if (known != null) {
      return known;
    }
    Optional<String> boot = OverlayProbeMark.currentBoot();
    if (boot.isPresent() && OverlayProbeMark.holds(directory, boot.get())) {
      PROBES.putIfAbsent(store, Optional.empty());
      return Optional.empty();
    }
    Optional<String> reason = probe(directory);
    if (reason.isEmpty() && boot.isPresent()) {
      OverlayProbeMark.record(directory, boot.get());
    }
    PROBES.putIfAbsent(store, reason);
    return reason;
  }

  /**
   * Removes probes a killed process left mounted: their names carry the prober's pid, and one
   * whose process is gone is unmounted and deleted. A live prober's probe is left alone; a pid
   * reused since only delays the cleanup to a later start.
   */
  static void sweepProbes(Path directory) throws IOException {
    try (var entries = Files.list(directory)) {
      for (Path entry : entries.toList()) {
        String name = entry.getFileName().toString();
        if (!name.startsWith(PROBE_PREFIX)) {
          continue;
        }
        String rest = name.substring(PROBE_PREFIX.length());
        int dash = rest.indexOf('-');
        long pid;
        try {
          pid = Long.parseLong(dash < 0 ? rest : rest.substring(0, dash));
        } catch (NumberFormatException e) {
          pid = -1; // Named before probes carried a pid: nobody can still be using it.
        }
        if (pid < 0 || !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
          MountTable.unmountAllUnder(entry);
          Trees.delete(entry);
        }
      }
    }
  }

  private static Optional<String> probe(Path directory) throws IOException, InterruptedException {
    long pid = ProcessHandle.current().pid();
    Path dir = Files.createDirectory(
        directory.resolve(PROBE_PREFIX + pid + "-" + UUID.randomUUID()));
    try {
      Path bottom = Files.createDirectory(dir.resolve("a"));
      Path top = Files.createDirectory(dir.resolve("b"));
      Path upper = Files.createDirectory(dir.resolve("upper"));
      Path work = Files.createDirectory(dir.resolve("work"));
      Path merged = Files.createDirectory(dir.resolve("merged"));
      Files.writeString(bottom.resolve("gone"), "x");
      Files.writeString(top.resolve("kept"), "x");
      try {
        mount(List.of(top, bottom), upper, work, merged);
      } catch (IOException e) {
        return Optional.of("mounting a test overlay in " + directory + " failed: "
            + e.getMessage());
      }
      try {
        Files.delete(merged.resolve("gone"));
        Files.writeString(merged.resolve("new"), "x");
      } finally {
        MountTable.unmountAllUnder(merged);
      }
      Object rdev = Files.getAttribute(upper.resolve("gone"), "unix:rdev",
          java.nio.file.LinkOption.NOFOLLOW_LINKS);
      boolean whiteout = Files.getAttribute(upper.resolve("gone"), "unix:mode",
          java.nio.file.LinkOption.NOFOLLOW_LINKS) instanceof Integer mode
          && (mode & 0170000) == 0020000 && rdev instanceof Long dev && dev == 0L;
      if (!whiteout || !Files.exists(upper.resolve("new"))) {
        return Optional.of("a test overlay in " + directory
            + " did not record a deletion as a whiteout in its upper directory");
      }
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of("a test overlay in " + directory + " failed: " + e.getMessage());
    } finally {
      MountTable.unmountAllUnder(dir);
      Trees.delete(dir);
    }
  }
}
