package io.slipway.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slipway.build.export.BuiltImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * {@code slipway build --metadata-file FILE}: what the build produced, as JSON with the keys
 * {@code docker buildx build} writes for an image, so scripts written for it read Slipway's:
 * {@code containerimage.digest} (the manifest), {@code containerimage.config.digest}, {@code
 * containerimage.descriptor} and, when the image is named, {@code image.name} (the names joined
 * by commas). The file is written whole or not at all. Stateless; safe for concurrent use.
 */
final class BuildMetadataFile {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private BuildMetadataFile() {}

  /** The JSON for {@code image} named {@code names}. */
  static String json(BuiltImage image, List<String> names) {
    ObjectNode root = JSON.createObjectNode();
    root.put("containerimage.config.digest", image.config().digest().toString());
    ObjectNode descriptor = root.putObject("containerimage.descriptor");
    descriptor.put("mediaType", image.manifest().mediaType());
    descriptor.put("digest", image.manifest().digest().toString());
    descriptor.put("size", image.manifest().size());
    root.put("containerimage.digest", image.manifest().digest().toString());
    if (!names.isEmpty()) {
      root.put("image.name", String.join(",", names));
    }
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a tree of strings and numbers always serializes", e);
    }
  }

  /** Writes the JSON to {@code file} through a temporary file beside it. */
  static void write(Path file, BuiltImage image, List<String> names) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    Path temporary = Files.createTempFile(parent, "." + file.getFileName(), ".tmp");
    try {
      Files.writeString(temporary, json(image, names), StandardCharsets.UTF_8);
      Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }
}
