package io.slipway.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code main} class (or the packaged jar) run in a JVM of its own, with the test's class path
 * and the given JVM options; the one way tests start a JVM. Heap limits are one reason to use
 * one: surefire runs every test in one JVM, whose heap is not a test's to limit, so "works under
 * {@code -Xmx64m}" can only be proven in a child. Others: signals and kills, an environment
 * variable, a working directory or a user the test's JVM does not have ({@link Launch}).
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
    return of(mainClass).jvmOptions(jvmOptions).args(args).start(log);
  }

  /** A child that runs {@code mainClass} from the test's class path; {@link Launch#start} starts it. */
  public static Launch of(Class<?> mainClass) {
    return new Launch(List.of(mainClass.getName()), mainClass.getSimpleName());
  }

  /** A child that runs an executable jar ({@code java -jar}), as a user of the packaged program would. */
  public static Launch ofJar(Path jar) {
    return new Launch(List.of("-jar", jar.toString()), jar.getFileName().toString());
  }

  /**
   * How a child is started: its JVM options, class path, environment, working directory, a
   * command it runs under (such as {@code setpriv} to drop to another user) and arguments; {@link
   * #start} starts it. Not safe for concurrent use: the test that starts the child sets it up.
   */
  public static final class Launch {
    private final List<String> program;
    private final String name;
    private List<String> jvmOptions = List.of();
    private String classPath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    private Map<String, String> environment = Map.of();
    private Path directory;
    private List<String> under = List.of();
    private List<String> args = List.of();

    private Launch(List<String> program, String name) {
      this.program = program;
      this.name = name;
    }

    /** JVM options such as {@code -Xmx64m}, before the main class. */
    public Launch jvmOptions(List<String> options) {
      jvmOptions = List.copyOf(options);
      return this;
    }

    /** A class path other than the test's (one copied where another user can read it). */
    public Launch classPath(String path) {
      classPath = path;
      return this;
    }

    /** Variables added to the test's environment for the child. */
    public Launch environment(Map<String, String> variables) {
      environment = Map.copyOf(variables);
      return this;
    }

    /** The child's working directory (else the test's). */
    public Launch directory(Path path) {
      directory = path;
      return this;
    }

    /**
     * A command that runs {@code java} and its arguments, which follow it (such as {@code setpriv
     * --reuid=65534 ... --}).
     */
    public Launch under(String... command) {
      under = List.of(command);
      return this;
    }

    /** The main class's (or jar's) arguments. */
    public Launch args(String... values) {
      args = List.of(values);
      return this;
    }

    /** Starts the child, writing its stdout and stderr to {@code log}. */
    public ChildJvm start(Path log) throws IOException {
      List<String> command = new ArrayList<>(under);
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(jvmOptions);
      command.add("-XX:+ExitOnOutOfMemoryError");
      command.add("--enable-native-access=ALL-UNNAMED");
      if (program.getFirst().equals("-jar")) {
        command.addAll(program);
      } else {
        command.add("-cp");
        command.add(classPath);
        command.addAll(program);
      }
      command.addAll(args);
      ProcessBuilder builder =
          new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      builder.environment().putAll(environment);
      if (directory != null) {
        builder.directory(directory.toFile());
      }
      String description =
          jvmOptions.isEmpty() ? name : name + " under " + String.join(" ", jvmOptions);
      return new ChildJvm(builder.start(), log, description);
    }
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
    await(Pattern.compile(Pattern.quote(text)), text, timeout);
    return output();
  }

  /**
   * Waits until {@code pattern} finds a match in the child's output (a line that is only partly
   * written does not match a pattern that needs its end) and returns that match.
   *
   * @throws AssertionError quoting the output when the child exits first or {@code timeout}
   *     passes
   */
  public MatchResult awaitMatch(Pattern pattern, Duration timeout)
      throws IOException, InterruptedException {
    return await(pattern, pattern.pattern(), timeout);
  }

  private MatchResult await(Pattern pattern, String what, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      String output = output();
      Matcher matcher = pattern.matcher(output);
      if (matcher.find()) {
        return matcher.toMatchResult();
      }
      if (!process.isAlive()) {
        throw new AssertionError(
            description + " exited with status " + process.exitValue() + " before printing \""
                + what + "\"; output:\n" + output);
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(
            description + " did not print \"" + what + "\" within " + timeout + "; output:\n"
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

  /**
   * Sends the child signal {@code name} ({@code TERM}, {@code INT}, {@code KILL}) with {@code
   * kill}, as a supervisor or a terminal would.
   *
   * @throws AssertionError when {@code kill} fails (the child is gone)
   */
  public void signal(String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
        .redirectErrorStream(true).start();
    String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (kill.waitFor() != 0) {
      throw new AssertionError("kill -" + name + " " + process.pid() + " failed: " + output);
    }
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
