package io.slipway.store.layer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Entry point run by {@link UnprivilegedExtractionTest} in a child JVM as user {@code nobody}:
 * extracts each layer file named on the command line, in order, into the last argument.
 */
public final class UnprivilegedExtraction {

  private UnprivilegedExtraction() {}

  public static void main(String[] args) throws IOException {
    Path root = Path.of(args[args.length - 1]);
    for (int i = 0; i < args.length - 1; i++) {
      try (InputStream in = Files.newInputStream(Path.of(args[i]))) {
        ExtractResult result = LayerExtractor.extract(in, root, ExtractOptions.forCurrentUser());
        System.out.println("skippedDevices=" + result.skippedDevices());
      } catch (LayerException e) {
        System.out.println("error=" + e.getMessage());
      }
    }
  }
}
