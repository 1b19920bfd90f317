package io.slipway.build.snapshot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.UUID;

/**
 * Remembers, in a small file in the probed directory, that a test overlay worked there during the
 * current boot, so that later processes skip the probe: it mounts and unmounts an overlay, about
 * 50 ms of a no-change rebuild that otherwise touches no overlay at all. The mark names the boot
 * ({@code /proc/sys/kernel/random/boot_id}), the directory's device and the process's user
 * namespace, so a reboot (a new kernel, other modules), a root copied to another machine, another
 * file system mounted over the directory, or a process in another user namespace probes again.
 * Only success is remembered: a failure is probed again every time, so fixing the host needs no
 * cleanup. Stateless; safe for concurrent use (the mark is replaced by
 * a rename and read whole, and a missing, unreadable, torn or unwritable mark only means one more
 * probe).
 */
final class OverlayProbeMark {

  /** Not {@code tmp-}: the snapshotter and the probe sweep remove those. */
  static final String FILE = ".overlay-probe-passed";

  private static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");
  private static final Path USER_NAMESPACE = Path.of("/proc/self/ns/user");
  private static final System.Logger LOG = System.getLogger(OverlayProbeMark.class.getName());

  private OverlayProbeMark() {}

  /** This boot's id, or empty where the kernel does not tell (then nothing is remembered). */
  static Optional<String> currentBoot() {
    try {
      String id = Files.readString(BOOT_ID, StandardCharsets.US_ASCII).strip();
      return id.isEmpty() ? Optional.empty() : Optional.of(id);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** True when {@code directory} holds a mark made during {@code boot} on its current device. */
  static boolean holds(Path directory, String boot) {
    try {
      return Files.readString(directory.resolve(FILE), StandardCharsets.UTF_8)
          .equals(content(directory, boot));
    } catch (IOException e) {
      // No mark, or one that cannot be read: either way the probe runs again.
      return false;
    }
  }

  /** Marks {@code directory} as having passed the probe during {@code boot}. */
  static void record(Path directory, String boot) {
    // Not fsynced: a mark lost in a crash costs one probe, and a crash means a new boot anyway.
    Path partial = directory.resolve(FILE + "." + UUID.randomUUID());
    try {
      try {
        Files.writeString(partial, content(directory, boot), StandardCharsets.UTF_8);
        Files.move(partial, directory.resolve(FILE), StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(partial);
      }
    } catch (IOException e) {
      // The probe passed; a mark that cannot be written only means the next build probes again.
      LOG.log(System.Logger.Level.DEBUG, "cannot remember the overlay probe in " + directory
          + ": " + e.getMessage());
    }
  }

  /**
   * What a mark says: the boot, the directory's device and the user namespace of the process (a
   * pass as the host's root says nothing about root in another namespace).
   */
  private static String content(Path directory, String boot) throws IOException {
    Object device = Files.getAttribute(directory, "unix:dev", LinkOption.NOFOLLOW_LINKS);
    return "boot " + boot + " device " + device + " " + userNamespace() + "\n";
  }

  private static String userNamespace() throws IOException {
    return Files.readSymbolicLink(USER_NAMESPACE).toString();
  }
}
