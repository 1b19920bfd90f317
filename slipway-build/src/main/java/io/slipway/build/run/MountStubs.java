package io.slipway.build.run;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The mount points a step needs in its root file system ({@code /proc}, {@code /etc/hosts}, cache
 * and secret targets, ...), created before the container starts and taken out of the step's changes
 * after it ends, so that a mount never leaves an empty file or directory, or a touched parent
 * directory, in the layer. The runtime would otherwise create them itself, inside the layer.
 *
 * <p>Confined to the thread running the step.
 */
final class MountStubs {

  /** A mount point: a container path and whether the mount there is a directory. */
  record Target(String path, boolean directory) {}

  /** Created entries, relative to the root, in creation order. */
  private final List<String> created = new ArrayList<>();

  /**
   * Existing directories on the way to a stub, with their attributes before it was created, and
   * whether a stub was created directly in them (which changed their modification time).
   */
  private final Map<String, Parent> parents = new TreeMap<>();

  private record Parent(UnixAttributes before, boolean direct) {}

  private MountStubs() {}

  /** Creates every missing target under {@code root}, following links inside the root. */
  static MountStubs create(Path root, List<Target> targets) throws IOException {
    MountStubs stubs = new MountStubs();
    for (Target target : targets) {
      stubs.createOne(root, target);
    }
    return stubs;
  }

  private void createOne(Path root, Target target) throws IOException {
    Path host = ContainedPath.resolve(root, target.path());
    if (Files.exists(host, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    List<Path> missing = new ArrayList<>();
    Path existing = host;
    while (!Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
      missing.addFirst(existing);
      existing = existing.getParent();
    }
    boolean direct = true;
    for (Path dir = existing; dir.startsWith(root); dir = dir.getParent()) {
      String key = relative(root, dir);
      Parent known = parents.get(key);
      if (created.contains(key) || (known != null && (known.direct() || !direct))) {
        break;
      }
      parents.put(key, new Parent(UnixAttributes.of(dir), direct));
      direct = false;
    }
    for (int i = 0; i < missing.size(); i++) {
      Path path = missing.get(i);
      if (i < missing.size() - 1 || target.directory()) {
        Files.createDirectory(path);
        Files.setAttribute(path, "unix:mode", 0755);
      } else {
        Files.createFile(path);
        Files.setAttribute(path, "unix:mode", 0644);
      }
      created.add(relative(root, path));
    }
  }

  /**
   * Removes the stubs from {@code changes} (the overlay upper directory or the copied root) once no
   * mount uses them: created entries that are still empty go, and each parent gets its previous
   * modification time back. With {@code overlay}, a directory that the overlay copied up only
   * because a stub was created under it, and that is now empty with the mode and owner it had
   * before, goes as well, so it does not appear in the layer.
   */
  void remove(Path changes, boolean overlay) throws IOException {
    for (String rel : created.reversed()) {
      Path path = changes.resolve(rel);
      if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
        try {
          Files.delete(path);
        } catch (DirectoryNotEmptyException e) {
          // The step put files beside a mount point: the directory is a real change.
        }
      } else if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)
          && Files.size(path) == 0) {
        Files.delete(path);
      }
    }
    // Deepest first, so that a parent emptied by removing its child is seen empty.
    List<String> keys = new ArrayList<>(parents.keySet());
    keys.sort(
        Comparator.comparingInt((String k) -> k.isEmpty() ? 0 : k.split("/").length).reversed());
    for (String key : keys) {
      Path path = changes.resolve(key);
      if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      Parent parent = parents.get(key);
      if (overlay
          && !key.isEmpty()
          && isEmpty(path)
          && UnixAttributes.of(path).sameOwnershipAndMode(parent.before())) {
        // Copied up only for the stub and unchanged: the lower directory shows through again.
        Files.delete(path);
      } else if (parent.direct()) {
        Files.setLastModifiedTime(path, parent.before().modified());
      }
    }
  }

  private static boolean isEmpty(Path directory) throws IOException {
    try (var entries = Files.newDirectoryStream(directory)) {
      return !entries.iterator().hasNext();
    }
  }

  private static String relative(Path root, Path path) {
    return root.relativize(path).toString();
  }
}
