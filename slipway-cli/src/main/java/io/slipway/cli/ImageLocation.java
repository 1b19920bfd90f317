package io.slipway.cli;

import java.nio.file.Path;
import picocli.CommandLine;

/**
 * Where {@code pull} writes and {@code push} reads an image on disk: {@code oci-layout:DIR[:NAME]}
 * or {@code tar:FILE} (an OCI layout in a tar archive, as {@code skopeo}'s {@code oci-archive}).
 * Immutable.
 */
sealed interface ImageLocation {
  record Layout(Path dir, String name) implements ImageLocation {}

  record Tar(Path file, String name) implements ImageLocation {}

  static ImageLocation parse(CommandLine commandLine, String text) {
    int colon = text.indexOf(':');
    String kind = colon < 0 ? "" : text.substring(0, colon);
    String rest = colon < 0 ? "" : text.substring(colon + 1);
    String name = null;
    int nameColon = rest.lastIndexOf(':');
    if (nameColon > 0) {
      name = rest.substring(nameColon + 1);
      rest = rest.substring(0, nameColon);
    }
    if (rest.isEmpty()) {
      throw new CommandLine.ParameterException(commandLine,
          "\"" + text + "\" is not oci-layout:DIR[:NAME] or tar:FILE[:NAME]");
    }
    return switch (kind) {
      case "oci-layout", "oci" -> new Layout(Path.of(rest), name);
      case "tar", "oci-archive" -> new Tar(Path.of(rest), name);
      default -> throw new CommandLine.ParameterException(commandLine,
          "\"" + text + "\" is not oci-layout:DIR[:NAME] or tar:FILE[:NAME]");
    };
  }
}
