package io.slipway.cli.buildserver;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.CodeSource;

/**
 * Names the code this process runs, so a client and a build server can tell whether they run the
 * same Slipway: the path, size and modification time of the jar (or class directory) this class
 * was loaded from. Rebuilding the jar changes it, so a server started before a rebuild declines the
 * clients of the new one instead of building with old code. Stateless; safe for concurrent use.
 */
public final class BuildIdentity {
  private BuildIdentity() {}

  /** This process's identity. */
  public static String current() {
    CodeSource source = BuildIdentity.class.getProtectionDomain().getCodeSource();
    if (source == null || source.getLocation() == null) {
      return "unknown";
    }
    try {
      Path code = Path.of(source.getLocation().toURI());
      BasicFileAttributes attributes = Files.readAttributes(code, BasicFileAttributes.class);
      return code + " " + attributes.size() + " " + attributes.lastModifiedTime().toMillis();
    } catch (IOException | URISyntaxException | RuntimeException e) {
      return source.getLocation().toString();
    }
  }
}
