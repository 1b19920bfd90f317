package io.slipway.registry.gc;

import io.slipway.registry.RegistryConfig;
import io.slipway.registry.RegistryServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A registry in a child JVM, for tests that kill it: {@link #main} serves a root on an ephemeral
 * port and writes the port to a file; {@link #start} launches it with the test's class path and
 * waits for that file. Confined to the test thread that starts it.
 */
final class ChildRegistry implements AutoCloseable {
  private final Process process;
  private final int port;

  private ChildRegistry(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Child entry point: {@code <root> <port file>}. */
  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]);
    Path portFile = Path.of(args[1]);
    RegistryServer server =
        RegistryServer.start(
            RegistryConfig.defaults(root).withAddress("127.0.0.1", 0).withIdleTimeout(
                Duration.ofSeconds(10)));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        server.close();
      } catch (IOException e) {
        System.err.println("close failed: " + e);
      }
    }));
    Path temporary = portFile.resolveSibling(portFile.getFileName() + ".tmp");
    Files.writeString(temporary, Integer.toString(server.port()), StandardCharsets.UTF_8);
    Files.move(temporary, portFile, StandardCopyOption.ATOMIC_MOVE);
    server.join();
  }

  static ChildRegistry start(Path root, Path log) throws Exception {
    Path portFile = root.resolveSibling(root.getFileName() + ".port");
    Files.deleteIfExists(portFile);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("-Xmx128m");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-XX:+UseSerialGC");
    // Fifty restarts: a class-data archive made by the first start halves the later ones.
    command.add("-XX:+AutoCreateSharedArchive");
    command.add("-XX:SharedArchiveFile=" + root.resolveSibling("child.jsa"));
    command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(ChildRegistry.class.getName());
    command.add(root.toString());
    command.add(portFile.toString());
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.exists(portFile)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "child registry exited with " + process.exitValue() + "; see " + log);
      }
      if (System.nanoTime() > deadline) {
        process.destroyForcibly();
        throw new IllegalStateException("child registry did not start in 60 s; see " + log);
      }
      Thread.sleep(20);
    }
    return new ChildRegistry(process, Integer.parseInt(Files.readString(portFile).strip()));
  }

  java.net.URI baseUri() {
    return java.net.URI.create("http://127.0.0.1:" + port);
  }

  /** {@code kill -9}: no shutdown hook, no checkpoint, no close. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** SIGTERM, and waits for the orderly exit; returns the exit status. */
  int terminate() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor();
    }
    return process.exitValue();
  }

  @Override
  public void close() {
    // Whatever the test did, no child outlives it.
    process.destroyForcibly();
  }
}
