package io.slipway.build.context;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The patterns of a {@code .dockerignore} file and the decision they make for a context path.
 *
 * <p>Reading follows the reference client: lines starting with {@code #} are comments, blank lines
 * are skipped, surrounding white space is trimmed, {@code !} marks an exception, and each pattern
 * is cleaned like a path ({@code ./a//b/} becomes {@code a/b}) with a leading {@code /} dropped.
 * Matching follows the reference pattern matcher: patterns apply in order, the last one that
 * matches wins, and a pattern that matches a parent directory matches everything below it.
 * Immutable and thread-safe.
 */
public final class Dockerignore {

  /** Ignores nothing. */
  public static final Dockerignore EMPTY = new Dockerignore(List.of(), List.of());

  private final List<String> lines;
  private final List<IgnorePattern> patterns;

  private Dockerignore(List<String> lines, List<IgnorePattern> patterns) {
    this.lines = List.copyOf(lines);
    this.patterns = List.copyOf(patterns);
  }

  /** Parses ignore-file text; {@code file} names it in errors. */
  public static Dockerignore parse(String file, String text) {
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    List<String> kept = new ArrayList<>();
    List<IgnorePattern> compiled = new ArrayList<>();
    String[] rawLines = text.split("\n", -1);
    for (int n = 0; n < rawLines.length; n++) {
      String line = rawLines[n];
      if (line.startsWith("#")) {
        continue;
      }
      String pattern = line.strip();
      if (pattern.isEmpty()) {
        continue;
      }
      boolean exclusion = pattern.startsWith("!");
      if (exclusion) {
        pattern = pattern.substring(1).strip();
        if (pattern.isEmpty()) {
          throw new DockerignoreException(file, n + 1, line.strip(), "illegal exclusion pattern");
        }
      }
      pattern = PathNames.clean(pattern);
      if (pattern.length() > 1 && pattern.startsWith("/")) {
        pattern = pattern.substring(1);
      }
      try {
        compiled.add(IgnorePattern.compile(pattern, exclusion));
      } catch (IllegalArgumentException e) {
        throw new DockerignoreException(file, n + 1, line.strip(), e.getMessage());
      }
      kept.add(exclusion ? "!" + pattern : pattern);
    }
    return new Dockerignore(kept, compiled);
  }

  /**
   * The ignore file for a build: {@code <Dockerfile>.dockerignore} next to the Dockerfile when it
   * exists, else {@code .dockerignore} at the context root, else nothing.
   */
  public static Dockerignore forBuild(Path contextDir, Path dockerfile) throws IOException {
    Path specific = dockerfile.resolveSibling(dockerfile.getFileName() + ".dockerignore");
    if (Files.isRegularFile(specific)) {
      return parse(specific.getFileName().toString(),
          Files.readString(specific, StandardCharsets.UTF_8));
    }
    Path general = contextDir.resolve(".dockerignore");
    if (Files.isRegularFile(general)) {
      return parse(".dockerignore", Files.readString(general, StandardCharsets.UTF_8));
    }
    return EMPTY;
  }

  /** The cleaned patterns, exceptions prefixed with {@code !}, as graph sources carry them. */
  public List<String> patterns() {
    return lines;
  }

  /** True when some pattern is an exception, so an ignored directory may still hold kept files. */
  public boolean hasExceptions() {
    return patterns.stream().anyMatch(IgnorePattern::exclusion);
  }

  /** True when {@code path} (relative, slash-separated) is left out of the context. */
  public boolean isIgnored(String path) {
    // The common case (no .dockerignore) is asked once per context path on every build.
    if (patterns.isEmpty()) {
      return false;
    }
    String cleaned = PathNames.clean(path);
    int slash = cleaned.lastIndexOf('/');
    String[] parents = slash < 0 ? new String[0] : cleaned.substring(0, slash).split("/");
    boolean ignored = false;
    for (IgnorePattern pattern : patterns) {
      // An inclusion cannot change an ignored path, nor an exception a kept one.
      if (pattern.exclusion() != ignored) {
        continue;
      }
      boolean match = pattern.matches(cleaned);
      if (!match) {
        StringBuilder parent = new StringBuilder();
        for (String element : parents) {
          if (parent.length() > 0) {
            parent.append('/');
          }
          parent.append(element);
          if (pattern.matches(parent.toString())) {
            match = true;
            break;
          }
        }
      }
      if (match) {
        ignored = !pattern.exclusion();
      }
    }
    return ignored;
  }
}
