package io.slipway.registry;

import java.nio.file.Path;

/**
 * Runs a registry in a child JVM for tests that bound its heap: serves on an ephemeral loopback
 * port, prints {@code PORT=<n>}, and stops cleanly when its stdin closes.
 */
public final class ChildRegistryMain {
  private ChildRegistryMain() {}

  public static void main(String[] args) throws Exception {
    RegistryConfig config = RegistryConfig.defaults(Path.of(args[0])).withAddress("127.0.0.1", 0);
    try (RegistryServer server = RegistryServer.start(config)) {
      System.out.println("PORT=" + server.port());
      System.out.flush();
      while (System.in.read() >= 0) {
        // Wait for the parent to close our stdin.
      }
    }
  }
}
