package io.slipway.build.snapshot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.UUID;

/**
 * Remembers, in a small file in the probed directory, that a test overlay worked there during the
 * current boot, so that later processes skip the probe: it mounts and unmounts an overlay, about
 * 50 ms of a no-change rebuild that otherwise touches no overlay at all. The mark names the boot
 * ({@code /proc/sys/kernel/random/boot_id}) and the directory's device, so a reboot (a new kernel,
 * other modules), a root copied to another machine, or another file system mounted over the
 * directory is probed again. Only success is remembered: a failure is probed again every time,
 * so fixing the host needs no cleanup. Stateless; safe for concurrent use (the mark is replaced by
 * a rename and read whole, and a missing or torn mark only means one more probe).
 */
final class OverlayProbeMark {

  /** Not {@code tmp-}: the snapshotter and the probe sweep remove those. */
  static final String FILE = ".overlay-probe-passed";

  private static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");

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
  static boolean holds(Path directory, String boot) throws IOException {
    try {
      return Files.readString(directory.resolve(FILE), StandardCharsets.UTF_8)
          .equals(content(directory, boot));
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  /** Marks {@code directory} as having passed the probe during {@code boot}. */
  static void record(Path directory, String boot) throws IOException {
    // Not fsynced: a mark lost in a crash costs one probe, and a crash means a new boot anyway.
    Path partial = directory.resolve(FILE + "." + UUID.randomUUID());
    try {
      Files.writeString(partial, content(directory, boot), StandardCharsets.UTF_8);
      Files.move(partial, directory.resolve(FILE), StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(partial);
    }
  }

  private static String content(Path directory, String boot) throws IOException {
    Object device = Files.getAttribute(directory, "unix:dev", LinkOption.NOFOLLOW_LINKS);
    return "boot " + boot + " device " + device + "\n";
  }
}
