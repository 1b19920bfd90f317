package io.slipway.build.snapshot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Runs a short host program ({@code mount} for deep overlay stacks, {@code cp}, {@code runc
 * delete}) to completion and turns a non-zero exit into an {@link IOException} that names the
 * command and quotes its error output. Stateless; safe for concurrent use.
 */
public final class HostCommand {

  private HostCommand() {}

  /** Runs {@code command}; throws when it exits non-zero. */
  public static String run(List<String> command) throws IOException, InterruptedException {
    return run(command, null);
  }

  /** Runs {@code command} in {@code directory} (the current one when null); throws on non-zero. */
  public static String run(List<String> command, java.nio.file.Path directory)
      throws IOException, InterruptedException {
    Result result = tryRun(command, directory);
    if (result.exitCode() != 0) {
      throw new IOException(
          String.join(" ", command) + " exited with " + result.exitCode() + ": "
              + result.output().strip());
    }
    return result.output();
  }

  /** Runs {@code command} and returns its exit code and combined output. */
  public static Result tryRun(List<String> command) throws IOException, InterruptedException {
    return tryRun(command, null);
  }

  /**
   * Runs {@code command} in {@code directory} (the current one when null) and returns its exit
   * code and combined output.
   */
  public static Result tryRun(List<String> command, java.nio.file.Path directory)
      throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(command)
            .directory(directory == null ? null : directory.toFile())
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .start();
    String output;
    try (var in = process.getInputStream()) {
      output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      process.destroyForcibly();
      throw e;
    }
    try {
      return new Result(process.waitFor(), output);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      throw e;
    }
  }

  /**
   * Runs a clean-up {@code command} even when the calling thread has been interrupted (cancellation
   * is the usual reason to clean up), and restores the interrupt afterwards.
   */
  public static Result runUninterruptibly(List<String> command) throws IOException {
    boolean interrupted = Thread.interrupted();
    try {
      while (true) {
        try {
          return tryRun(command);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Exit code and combined output of one command. */
  public record Result(int exitCode, String output) {}
}
