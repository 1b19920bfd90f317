package io.slipway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.slipway.registry.RegistryConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Reads {@code registry.yaml}, laid out like distribution's {@code config.yml} so existing files
 * mostly work: {@code http.addr}, {@code http.tls.certificate}/{@code key}, {@code
 * storage.filesystem.rootdirectory}, {@code storage.delete.enabled}, {@code
 * storage.maintenance.uploadpurging.age}, {@code log.accesslog.disabled}; plus Slipway's {@code limits} section ({@code
 * manifestbytes}, {@code chunkminlength}, {@code idletimeout}). Durations use Go's notation
 * ({@code 168h}, {@code 90s}, {@code 1h30m}). Relative paths are resolved against the file's
 * directory. Stateless.
 */
final class RegistryConfigFile {
  private RegistryConfigFile() {}

  /** Applies the file's settings on top of {@code base}. */
  static RegistryConfig read(Path file, RegistryConfig base) throws IOException {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    } catch (IOException e) {
      throw new IOException(file + ": not valid YAML: " + e.getMessage(), e);
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return base;
    }
    Path dir = file.toAbsolutePath().getParent();
    RegistryConfig config = base;
    String addr = text(root, file, "http", "addr");
    if (addr != null) {
      HostPort hostPort = HostPort.parse(addr);
      config = config.withAddress(hostPort.host(), hostPort.port());
    }
    String certificate = text(root, file, "http", "tls", "certificate");
    String key = text(root, file, "http", "tls", "key");
    if (certificate != null || key != null) {
      if (certificate == null || key == null) {
        throw new IOException(file + ": http.tls needs both certificate and key");
      }
      config = config.withTls(dir.resolve(certificate), dir.resolve(key));
    }
    String rootDirectory = text(root, file, "storage", "filesystem", "rootdirectory");
    if (rootDirectory != null) {
      config = config.withRoot(dir.resolve(rootDirectory));
    }
    JsonNode deletes = root.at("/storage/delete/enabled");
    if (!deletes.isMissingNode()) {
      if (!deletes.isBoolean()) {
        throw new IOException(file + ": storage.delete.enabled must be true or false");
      }
      config = config.withDeletesEnabled(deletes.booleanValue());
    }
    String age = text(root, file, "storage", "maintenance", "uploadpurging", "age");
    if (age != null) {
      config = config.withUploadMaxIdle(duration(file, "uploadpurging.age", age));
    }
    JsonNode accessLogDisabled = root.at("/log/accesslog/disabled");
    if (!accessLogDisabled.isMissingNode()) {
      if (!accessLogDisabled.isBoolean()) {
        throw new IOException(file + ": log.accesslog.disabled must be true or false");
      }
      config = config.withAccessLog(!accessLogDisabled.booleanValue());
    }
    JsonNode manifestBytes = root.at("/limits/manifestbytes");
    if (!manifestBytes.isMissingNode()) {
      config = config.withMaxManifestBytes(positive(file, "limits.manifestbytes", manifestBytes));
    }
    JsonNode chunk = root.at("/limits/chunkminlength");
    if (!chunk.isMissingNode()) {
      config = config.withChunkMinLength(positive(file, "limits.chunkminlength", chunk));
    }
    String idle = text(root, file, "limits", "idletimeout");
    if (idle != null) {
      config = config.withIdleTimeout(duration(file, "limits.idletimeout", idle));
    }
    return config;
  }

  private static String text(JsonNode root, Path file, String... path) throws IOException {
    JsonNode node = root.at("/" + String.join("/", path));
    if (node.isMissingNode() || node.isNull()) {
      return null;
    }
    if (!node.isValueNode()) {
      throw new IOException(file + ": " + String.join(".", path) + " must be a single value");
    }
    return node.asText();
  }

  private static long positive(Path file, String what, JsonNode node) throws IOException {
    if (!node.canConvertToLong() || node.longValue() < 0) {
      throw new IOException(file + ": " + what + " must be a non-negative number of bytes");
    }
    return node.longValue();
  }

  /** Parses Go duration notation such as {@code 168h} or {@code 1h30m}. */
  static Duration duration(Path file, String what, String text) throws IOException {
    Optional<Duration> duration = DurationNotation.parse(text);
    if (duration.isEmpty()) {
      throw new IOException(
          file + ": " + what + " \"" + text + "\" " + DurationNotation.EXAMPLES);
    }
    return duration.get();
  }
}
