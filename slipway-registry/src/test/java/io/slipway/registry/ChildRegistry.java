package io.slipway.registry;

import io.slipway.testing.ChildJvm;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A registry in a child JVM ({@link ChildJvm}), for tests that bound its heap or kill it: {@link
 * #main} serves a root on an ephemeral loopback port, announces the port and stops cleanly when
 * its stdin ends; {@link #start} launches it and waits for the announcement. Confined to the test
 * thread that starts it.
 */
public final class ChildRegistry implements AutoCloseable {

  private static final String READY = " READY";
  private static final Pattern ANNOUNCEMENT = Pattern.compile("PORT=(\\d+)" + READY);

  private final ChildJvm child;
  private final int port;

  private ChildRegistry(ChildJvm child, int port) {
    this.child = child;
    this.port = port;
  }

  /**
   * Child entry point: {@code <root> [<idle timeout in seconds>]}. Serves until stdin ends, then
   * closes the server and exits 0.
   */
  public static void main(String[] args) throws Exception {
    RegistryConfig config = RegistryConfig.defaults(Path.of(args[0])).withAddress("127.0.0.1", 0);
    if (args.length > 1) {
      config = config.withIdleTimeout(Duration.ofSeconds(Long.parseLong(args[1])));
    }
    try (RegistryServer server = RegistryServer.start(config)) {
      System.out.println("PORT=" + server.port() + READY);
      System.out.flush();
      while (System.in.read() >= 0) {
        // Serving until the parent closes our stdin (or dies).
      }
    }
  }

  /**
   * Starts a registry on {@code root} with {@code jvmOptions}, its output in {@code log}, and
   * waits (up to a minute) until it serves. {@code args} follow the root, as {@link #main} takes
   * them.
   */
  public static ChildRegistry start(Path root, Path log, List<String> jvmOptions, String... args)
      throws IOException, InterruptedException {
    String[] all = new String[args.length + 1];
    all[0] = root.toString();
    System.arraycopy(args, 0, all, 1, args.length);
    ChildJvm child = ChildJvm.start(log, jvmOptions, ChildRegistry.class, all);
    try {
      Matcher announced = ANNOUNCEMENT.matcher(child.awaitOutput(READY, Duration.ofSeconds(60)));
      if (!announced.find()) {
        throw new AssertionError("child registry did not announce its port; output:\n"
            + child.output());
      }
      return new ChildRegistry(child, Integer.parseInt(announced.group(1)));
    } catch (IOException | InterruptedException | RuntimeException | AssertionError e) {
      child.close();
      throw e;
    }
  }

  /** Where the registry serves. */
  public URI baseUri() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** Whether the registry process still runs. */
  public boolean isAlive() {
    return child.isAlive();
  }

  /** Ends its stdin, so it closes the server, and returns its exit status. */
  public int stop(Duration timeout) throws IOException, InterruptedException {
    child.closeInput();
    return child.awaitExit(timeout);
  }

  /** {@code kill -9}: no shutdown hook, no checkpoint, no close. */
  public void kill() {
    child.close();
  }

  @Override
  public void close() {
    // Whatever the test did, no child outlives it.
    child.close();
  }
}
