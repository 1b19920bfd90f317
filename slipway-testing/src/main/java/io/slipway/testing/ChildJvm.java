package io.slipway.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code main} class run in a JVM of its own, with the test's class path and the given JVM
 * options. Heap limits are the reason to use one: surefire runs every test in one JVM, whose heap
 * is not a test's to limit, so "works under {@code -Xmx64m}" can only be proven in a child.
 *
 * <p>The child's stdout and stderr go to a log file (never to a pipe that could fill and stall
 * it), and it runs with {@code -XX:+ExitOnOutOfMemoryError}, so running out of heap is a non-zero
 * exit rather than a hang. Its stdin is a pipe from the test, open until {@link #closeInput()}.
 * {@link #close()} kills it if it is still running.
 *
 * <p>Not safe for concurrent use: one test owns it.
 */
public final class ChildJvm implements AutoCloseable {

  private final Process process;
  private final Path log;
  private final String description;

  private ChildJvm(Process process, Path log, String description) {
    this.process = process;
    this.log = log;
    this.description = description;
  }

  /**
   * Starts {@code mainClass} with {@code jvmOptions} (such as {@code -Xmx64m}) and {@code args},
   * writing its output to {@code log}.
   */
  public static ChildJvm start(
      Path log, List<String> jvmOptions, Class<?> mainClass, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-XX:+ExitOnOutOfMemoryError");
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("-cp");
    command.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
    command.add(mainClass.getName());
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    String description =
        jvmOptions.isEmpty()
            ? mainClass.getSimpleName()
            : mainClass.getSimpleName() + " under " + String.join(" ", jvmOptions);
    return new ChildJvm(process, log, description);
  }

  /**
   * Waits for the child to exit and returns its output.
   *
   * @throws AssertionError quoting the output when the child does not exit within {@code
   *     timeout} (it is then killed) or exits with a non-zero status
   */
  public String awaitSuccess(Duration timeout) throws IOException, InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      close();
      throw new AssertionError(description + " did not finish within " + timeout + "; output:\n" + output());
    }
    if (process.exitValue() != 0) {
      throw new AssertionError(
          description + " exited with status " + process.exitValue() + "; output:\n" + output());
    }
    return output();
  }

  /**
   * Waits for the child to exit and returns its exit status, for tests of how a program fails.
   *
   * @throws AssertionError quoting the output when the child does not exit within {@code timeout}
   *     (it is then killed)
   */
  public int awaitExit(Duration timeout) throws IOException, InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      close();
      throw new AssertionError(description + " did not finish within " + timeout + "; output:\n" + output());
    }
    return process.exitValue();
  }

  /**
   * Waits until the child's output contains {@code text} and returns the output so far.
   *
   * @throws AssertionError quoting the output when the child exits first or {@code timeout}
   *     passes
   */
  public String awaitOutput(String text, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      String output = output();
      if (output.contains(text)) {
        return output;
      }
      if (!process.isAlive()) {
        throw new AssertionError(
            description + " exited with status " + process.exitValue() + " before printing \""
                + text + "\"; output:\n" + output);
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(
            description + " did not print \"" + text + "\" within " + timeout + "; output:\n"
                + output);
      }
      Thread.sleep(20);
    }
  }

  /**
   * Closes the child's stdin. A child that serves until its parent is done with it (a registry)
   * reads stdin to its end and then stops cleanly; the end also comes when the parent dies, so such
   * a child never outlives the test run.
   */
  public void closeInput() throws IOException {
    process.getOutputStream().close();
  }

  /** The child's process id, for tests that send it signals ({@code kill -TERM}). */
  public long pid() {
    return process.pid();
  }

  /** Whether the child is still running. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Waits up to {@code timeout} for the child to exit and returns its status, or empty when it is
   * still running.
   */
  public java.util.OptionalInt exitWithin(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
        ? java.util.OptionalInt.of(process.exitValue())
        : java.util.OptionalInt.empty();
  }

  /** What the child has written so far to stdout and stderr. */
  public String output() throws IOException {
    return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
  }

  /** Kills the child if it still runs and waits for it to go. */
  @Override
  public void close() {
    process.destroyForcibly();
    // Not interruptible on purpose: after SIGKILL the wait is short, and a test that is being
    // interrupted must still not leave the child behind.
    process.onExit().join();
  }
}
