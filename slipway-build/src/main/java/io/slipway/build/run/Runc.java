package io.slipway.build.run;

import io.slipway.build.snapshot.HostCommand;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The {@code runc} command with its own state directory ({@code runc --root}), so that the
 * containers listed there are exactly Slipway's. Stateless apart from the two paths; safe for
 * concurrent use.
 */
final class Runc {

  private final Path binary;
  private final Path stateRoot;

  Runc(Path binary, Path stateRoot) {
    this.binary = binary;
    this.stateRoot = stateRoot;
  }

  /** {@code runc} from {@code PATH}, or from the sbin directories that are often not on it. */
  static Optional<Path> find() {
    List<String> dirs = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      dirs.addAll(Arrays.asList(path.split(File.pathSeparator)));
    }
    dirs.addAll(List.of("/usr/sbin", "/usr/local/sbin", "/sbin", "/usr/bin", "/bin"));
    return dirs.stream()
        .filter(d -> !d.isEmpty())
        .map(d -> Path.of(d, "runc"))
        .filter(Files::isExecutable)
        .findFirst();
  }

  Path binary() {
    return binary;
  }

  Path stateRoot() {
    return stateRoot;
  }

  /** {@code runc --root STATE ARGS...}. */
  List<String> command(String... args) {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.add("--root");
    command.add(stateRoot.toString());
    command.addAll(Arrays.asList(args));
    return command;
  }

  /**
   * Starts {@code runc run} for the bundle in the foreground: runc's exit code is the process's,
   * and its standard output and error are the process's.
   */
  Process start(Path bundle, String id) throws IOException {
    List<String> command = command("run", "--bundle", bundle.toString(), id);
    // Spawned directly, a RUN step saves the start of the JDK's helper program; the same
    // process set-up either way.
    if (SpawnedProcess.available() && binary.isAbsolute()) {
      return SpawnedProcess.start(command);
    }
    return new ProcessBuilder(command)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .start();
  }

  /** Sends SIGKILL to every process of the container; a container that is gone is fine. */
  void kill(String id) throws IOException {
    HostCommand.runUninterruptibly(command("kill", "--all", id, "KILL"));
  }

  /**
   * True when runc still keeps state for container {@code id} (its directory under
   * {@code --root}); a foreground {@code runc run} removes it when the process exits.
   */
  boolean hasState(String id) {
    return Files.exists(stateRoot.resolve(id), java.nio.file.LinkOption.NOFOLLOW_LINKS);
  }

  /** Removes the container, killing it first if it still runs; a missing container is fine. */
  void delete(String id) throws IOException {
    HostCommand.runUninterruptibly(command("delete", "--force", id));
  }

  /**
   * The ids of the containers in this state directory: its subdirectories, which are what {@code
   * runc list} reads. Read here rather than by starting {@code runc list}, because every engine
   * open sweeps, and a process start cost a no-change build several milliseconds for an answer
   * that is nearly always "none".
   */
  List<String> list() throws IOException {
    if (!Files.isDirectory(stateRoot)) {
      return List.of();
    }
    try (java.util.stream.Stream<Path> entries = Files.list(stateRoot)) {
      return entries.filter(p -> Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
          .map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
