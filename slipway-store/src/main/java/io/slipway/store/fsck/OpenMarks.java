package io.slipway.store.fsck;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Records which processes have a database open, so that the next opener can tell whether every
 * earlier one stopped cleanly and the full {@code PRAGMA quick_check} can be skipped. Thread-safe;
 * the state is files beside the database, shared by every process that opens it.
 *
 * <p>Beside {@code meta.db}: {@code meta.db.checked}, made once a check has passed, and the
 * directory {@code meta.db.open/} with one empty file per process that has the database open,
 * named {@code <pid>-<start time in ms>}, made (and the directory synced) before the process uses
 * the database and deleted when it closes it. An opener runs the check when there is no {@code
 * checked} file (a root from before this, or a check that never finished) or when a file names a
 * process that is not running any more (killed, crashed, the machine lost power, or the root was
 * copied while in use, so the process is not running here); it deletes those files once the check
 * passed. A process in another PID namespace looks dead too, which costs a check, never a missed one.
 *
 * <p>Why this is enough: SQLite in WAL mode with {@code synchronous=FULL} keeps the database
 * consistent across a crash of the process by itself; what the check is for is damage from
 * outside (a disk that lied about a flush at power loss, a copy of a live file), and each of those
 * leaves the file of a process that is not running.
 */
final class OpenMarks {
  private final Path checked;
  private final Path openDir;

  OpenMarks(Path database) {
    this.checked = database.resolveSibling(database.getFileName() + ".checked");
    this.openDir = database.resolveSibling(database.getFileName() + ".open");
  }

  /** A process's mark; {@link #release()} deletes it at a clean close. */
  record Mark(Path file) {
    void release() {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // Left behind, it costs the next opener a check, nothing more.
      }
    }
  }

  /**
   * The marks of processes that are gone, or empty when the last check stands (a file saying a
   * check passed, and no mark of a process that is not running).
   */
  Optional<List<Path>> checkNeeded() throws IOException {
    List<Path> stale = new ArrayList<>();
    if (Files.isDirectory(openDir)) {
      try (DirectoryStream<Path> marks = Files.newDirectoryStream(openDir)) {
        for (Path mark : marks) {
          if (!running(mark.getFileName().toString())) {
            stale.add(mark);
          }
        }
      }
    }
    return stale.isEmpty() && Files.exists(checked) ? Optional.empty() : Optional.of(stale);
  }

  /** After a check passed: records it and deletes the marks it covered. */
  void checkPassed(List<Path> stale) throws IOException {
    if (!Files.exists(checked)) {
      Files.createFile(checked);
    }
    for (Path mark : stale) {
      Files.deleteIfExists(mark);
    }
  }

  /** Marks this process as having the database open, durably, before it is used. */
  Mark mark() throws IOException {
    Files.createDirectories(openDir);
    ProcessHandle self = ProcessHandle.current();
    Path file = openDir.resolve(self.pid() + "-" + startMillis(self) + "-"
        + Long.toHexString(System.nanoTime()));
    Files.createFile(file);
    // A mark lost at power loss would let the next opener skip the check it needs.
    try (FileChannel dir = FileChannel.open(openDir)) {
      dir.force(true);
    }
    return new Mark(file);
  }

  private static long startMillis(ProcessHandle process) {
    return process.info().startInstant().map(i -> i.toEpochMilli()).orElse(-1L);
  }

  /** Whether the mark named {@code name} belongs to a process running now. */
  private static boolean running(String name) {
    String[] parts = name.split("-");
    if (parts.length != 3) {
      return false;
    }
    try {
      long pid = Long.parseLong(parts[0]);
      long start = Long.parseLong(parts[1]);
      return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
          .map(p -> startMillis(p) == start && start != -1).orElse(false);
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
