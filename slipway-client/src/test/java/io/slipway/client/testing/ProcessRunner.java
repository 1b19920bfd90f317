package io.slipway.client.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Runs an external program for a test, with a deadline. Stateless. */
public final class ProcessRunner {
  private ProcessRunner() {}

  /** Runs a program in {@code dir}, failing with its output when it fails or takes over 60 s. */
  public static String run(Path dir, String... command) throws IOException, InterruptedException {
    // Output goes to a file, so a program that hangs cannot block the read past the deadline.
    Path log = Files.createTempFile("slipway-process-", ".log");
    try {
      Process process = new ProcessBuilder(command).directory(dir.toFile())
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException(String.join(" ", command) + " did not finish in 60 s: "
            + Files.readString(log));
      }
      String text = Files.readString(log, StandardCharsets.UTF_8);
      if (process.exitValue() != 0) {
        throw new IOException(String.join(" ", command) + " exited with " + process.exitValue()
            + ": " + text);
      }
      return text;
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
