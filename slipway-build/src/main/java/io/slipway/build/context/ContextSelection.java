package io.slipway.build.context;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;

/**
 * Walks a build context directory and lists what a {@link Dockerignore} keeps: relative,
 * slash-separated paths of files, directories and symlinks (not followed), sorted. A directory
 * that is ignored is not descended into unless an exception could re-include something below it;
 * the parents of every kept path are kept too. Stateless and thread-safe.
 */
public final class ContextSelection {

  private ContextSelection() {}

  /** The kept paths under {@code root}. */
  public static List<String> walk(Path root, Dockerignore ignore) throws IOException {
    TreeSet<String> kept = new TreeSet<>();
    boolean exceptions = ignore.hasExceptions();
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            if (dir.equals(root)) {
              return FileVisitResult.CONTINUE;
            }
            String relative = relative(root, dir);
            if (ignore.isIgnored(relative)) {
              return exceptions ? FileVisitResult.CONTINUE : FileVisitResult.SKIP_SUBTREE;
            }
            keep(kept, relative);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            String relative = relative(root, file);
            if (!ignore.isIgnored(relative)) {
              keep(kept, relative);
            }
            return FileVisitResult.CONTINUE;
          }
        });
    return Collections.unmodifiableList(new ArrayList<>(kept));
  }

  private static void keep(TreeSet<String> kept, String relative) {
    kept.add(relative);
    int slash = relative.lastIndexOf('/');
    while (slash > 0) {
      relative = relative.substring(0, slash);
      if (!kept.add(relative)) {
        break;
      }
      slash = relative.lastIndexOf('/');
    }
  }

  private static String relative(Path root, Path path) {
    StringBuilder out = new StringBuilder();
    for (Path element : root.relativize(path)) {
      if (out.length() > 0) {
        out.append('/');
      }
      out.append(element);
    }
    return out.toString();
  }
}
