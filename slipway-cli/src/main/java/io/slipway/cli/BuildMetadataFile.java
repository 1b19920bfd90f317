package io.slipway.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slipway.build.export.BuiltImage;
import io.slipway.build.snapshot.Trees;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;

/**
 * {@code slipway build --metadata-file FILE}: what the build produced, as JSON with the keys
 * {@code docker buildx build} writes for an image, so scripts written for it read Slipway's:
 * {@code containerimage.digest} (the manifest), {@code containerimage.config.digest}, {@code
 * containerimage.descriptor} and, when the image is named, {@code image.name} (the names joined
 * by commas). The file is written whole or not at all ({@link #write}). Stateless; safe for
 * concurrent use.
 */
final class BuildMetadataFile {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** buildx writes the file with mode 0644; a temporary file would otherwise get 0600. */
  private static final FileAttribute<Set<PosixFilePermission>> MODE =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--"));

  /** As Linux's limit on links followed in one path look-up (ELOOP beyond it). */
  private static final int MAX_LINKS = 40;

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
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of strings and numbers always serializes", e);
    }
  }

  /**
   * Writes the JSON to {@code file}: to a temporary file in the destination's directory, made
   * durable, then renamed over it, so a reader sees the old file or the whole new one, also after
   * a crash. When {@code file} is a symbolic link, its target is written and the link kept, as
   * buildx's plain write would. The file gets mode 0644 less the umask, as buildx's does.
   */
  static void write(Path file, BuiltImage image, List<String> names) throws IOException {
    Path destination = destination(file);
    Path directory = destination.getParent();
    Path temporary =
        Files.createTempFile(directory, "." + destination.getFileName(), ".tmp", MODE);
    try {
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
        ByteBuffer bytes = ByteBuffer.wrap(json(image, names).getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
          channel.write(bytes);
        }
        // Before the rename: otherwise a crash can leave the new name on an empty file.
        channel.force(true);
      }
      Files.move(temporary, destination, StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temporary);
    }
    // The rename is durable only once the directory holding it is.
    Trees.force(directory);
  }

  /**
   * The file a write to {@code file} lands in, as open(2) finds it: symbolic links at the end
   * followed (a dangling one names the file to create), in its directory's real path, so the
   * temporary file is made beside the target and the rename replaces the target, not the link.
   */
  static Path destination(Path file) throws IOException {
    Path path = file.toAbsolutePath();
    for (int links = 0; Files.isSymbolicLink(path); links++) {
      if (links == MAX_LINKS) {
        throw new FileSystemException(file.toString(), null,
            "too many levels of symbolic links");
      }
      // A relative target is relative to the link's directory; an absolute one replaces it.
      path = path.resolveSibling(Files.readSymbolicLink(path));
    }
    return path.getParent().toRealPath().resolve(path.getFileName());
  }
}
