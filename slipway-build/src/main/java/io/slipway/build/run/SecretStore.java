package io.slipway.build.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The secrets a build was given ({@code --secret id=…,src=FILE} or {@code env=VAR}), looked up by
 * id when a step mounts one. Values are read only when needed and never kept by the executor beyond
 * the step. Implementations must be safe for concurrent use; {@link #of} is.
 */
@FunctionalInterface
public interface SecretStore {

  /** The secret's bytes, or empty when the build has no secret with this id. */
  Optional<byte[]> read(String id) throws IOException;

  /** No secrets. */
  static SecretStore none() {
    return id -> Optional.empty();
  }

  /**
   * Secrets from files (read at each use) and from values the caller already holds (such as an
   * environment variable the CLI read). Neither map's contents appear in {@code toString}.
   */
  static SecretStore of(Map<String, Path> files, Map<String, String> values) {
    Map<String, Path> fileCopy = Map.copyOf(files);
    Map<String, String> valueCopy = Map.copyOf(values);
    return new SecretStore() {
      @Override
      public Optional<byte[]> read(String id) throws IOException {
        Path file = fileCopy.get(id);
        if (file != null) {
          return Optional.of(Files.readAllBytes(file));
        }
        String value = valueCopy.get(id);
        return Optional.ofNullable(value).map(v -> v.getBytes(StandardCharsets.UTF_8));
      }

      @Override
      public String toString() {
        return "SecretStore" + new java.util.TreeSet<>(fileCopy.keySet())
            + new java.util.TreeSet<>(valueCopy.keySet());
      }
    };
  }
}
