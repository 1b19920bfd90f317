package io.slipway.build.fileop;

import io.slipway.build.context.IgnorePattern;
import io.slipway.build.graph.FileAction;
import io.slipway.store.compress.Compression;
import io.slipway.store.layer.ExtractOptions;
import io.slipway.store.layer.LayerExtractor;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Carries out the actions of one file operation (COPY, ADD, WORKDIR, heredoc files) by writing
 * only what changes into the upper directory of a {@link LayeredView}; the upper directory is then
 * the step's layer. Follows the reference builder's rules:
 *
 * <ul>
 *   <li>sources are cleaned and taken relative to their tree's root; wildcards ({@code *},
 *       {@code ?}, {@code [...]}) match within one path element and must match something;
 *   <li>a directory source copies its contents, not itself (with {@code --parents}, its path
 *       relative to the root is kept);
 *   <li>the destination is a directory when it ends with {@code /}, when there are several sources,
 *       or when it already is one; otherwise a single file source is written to that name;
 *   <li>a symlink named as a source is followed inside its tree; symlinks inside a copied
 *       directory are copied as links; symlinks in the target are followed without leaving it;
 *   <li>files from the build context become owned by root, others keep their owners, unless
 *       {@code --chown} names an owner (resolved in the target's {@code /etc/passwd} and
 *       {@code /etc/group}); {@code --chmod} sets the mode of every copied entry;
 *   <li>ADD extracts local tar archives (plain, gzip, bzip2, xz, zstd) into the destination with
 *       the store's safe extractor;
 *   <li>parent directories that exist in the target are carried into the layer with their
 *       attributes; missing ones are created 0755 and owned like the copied files.
 * </ul>
 *
 * <p>Confined to the thread running one step.
 */
public final class FileOpRunner {

  private final LayeredView view;
  private final Map<Integer, SourceTree> sources;
  private final FileTime createdTime;
  private final ExtractOptions extractOptions = ExtractOptions.forCurrentUser();

  /**
   * A runner writing into {@code view}, reading copies from {@code sources} (by input index), and
   * giving directories it creates the modification time {@code createdTime}.
   */
  public FileOpRunner(LayeredView view, Map<Integer, SourceTree> sources, Instant createdTime) {
    this.view = view;
    this.sources = Map.copyOf(sources);
    this.createdTime = FileTime.from(createdTime);
  }

  /** Applies {@code actions} in order. */
  public void apply(List<FileAction> actions) throws IOException {
    for (FileAction action : actions) {
      switch (action) {
        case FileAction.Mkdir mkdir -> mkdir(mkdir);
        case FileAction.Mkfile mkfile -> mkfile(mkfile);
        case FileAction.Copy copy -> copy(copy);
      }
    }
  }

  private Optional<Owners.Owner> owner(Optional<String> chown) throws IOException {
    if (chown.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(Owners.resolve(chown.get(), view));
  }

  private void mkdir(FileAction.Mkdir mkdir) throws IOException {
    Optional<Owners.Owner> owner = owner(mkdir.chown());
    String path = view.resolve(LayeredView.clean(mkdir.path()), true);
    Optional<Path> existing = view.locate(path);
    if (existing.isPresent() && Files.isDirectory(existing.get(), LinkOption.NOFOLLOW_LINKS)) {
      // WORKDIR of an existing directory changes nothing, as in the reference builder.
      return;
    }
    Path target = ensureParents(path, owner);
    replaceWithDirectory(target);
    setAttributes(target, mkdir.mode() | 040000, owner.orElse(new Owners.Owner(0, 0)), createdTime);
  }

  private void mkfile(FileAction.Mkfile mkfile) throws IOException {
    Optional<Owners.Owner> owner = owner(mkfile.chown());
    String path = view.resolve(LayeredView.clean(mkfile.path()), false);
    Path target = ensureParents(path, owner);
    removeExisting(target);
    Files.writeString(target, mkfile.content(), StandardCharsets.UTF_8);
    setAttributes(target, mkfile.mode() | 0100000, owner.orElse(new Owners.Owner(0, 0)),
        createdTime);
  }

  private void copy(FileAction.Copy copy) throws IOException {
    SourceTree tree = sources.get(copy.sourceInput());
    if (tree == null) {
      throw new IllegalArgumentException("copy reads input " + copy.sourceInput()
          + ", which is not a file tree");
    }
    LayeredView source = new LayeredView(tree.root(), Optional.empty());
    List<IgnorePattern> excludes = new ArrayList<>();
    for (String exclude : copy.excludes()) {
      excludes.add(IgnorePattern.compile(LayeredView.clean(exclude).substring(1), false));
    }
    Optional<Owners.Owner> owner = owner(copy.chown());
    List<String> matches = new ArrayList<>();
    boolean wildcard = false;
    for (String pattern : copy.sourcePaths()) {
      String cleaned = LayeredView.clean(pattern);
      if (Globs.hasWildcard(cleaned)) {
        wildcard = true;
        List<String> found = glob(tree, cleaned);
        if (found.isEmpty()) {
          throw new FileOpException("COPY source " + pattern + ": no source files were specified"
              + " (the wildcard matched nothing)");
        }
        matches.addAll(found);
      } else {
        if (source.locate(source.resolve(cleaned, true)).isEmpty()
            || (!cleaned.equals("/") && tree.ignore().isIgnored(cleaned.substring(1)))) {
          throw new FileOpException("COPY source " + pattern + ": not found"
              + (tree.fromContext() ? " in the build context (is it in .dockerignore?)" : ""));
        }
        matches.add(cleaned);
      }
    }
    String destination = copy.destination();
    boolean destinationIsDirectory = destination.endsWith("/")
        || copy.sourcePaths().size() > 1 || (wildcard && matches.size() > 1);
    String destinationClean = LayeredView.clean(destination);
    if (!destinationIsDirectory) {
      Optional<Path> existing = view.locate(view.resolve(destinationClean, true));
      destinationIsDirectory = existing.isPresent() && Files.isDirectory(existing.get());
    }
    for (String match : matches) {
      String resolved = source.resolve(match, true);
      Path host = source.locate(resolved).orElseThrow(() -> new FileOpException(
          "COPY source " + match + ": not found"));
      String relative = match.substring(1);
      String baseName = relative.contains("/") ? relative.substring(relative.lastIndexOf('/') + 1)
          : relative;
      if (excluded(excludes, relative) || (!baseName.isEmpty() && excluded(excludes, baseName))) {
        continue;
      }
      if (Files.isDirectory(host, LinkOption.NOFOLLOW_LINKS)) {
        String target = copy.parents() && !relative.isEmpty()
            ? destinationClean + "/" + relative : destinationClean;
        Path dir = directoryAt(target, owner, tree, host, copy.chmod());
        copyChildren(tree, host, relative, "", dir, owner, copy.chmod(), excludes);
        continue;
      }
      String name = Path.of(resolved).getFileName() == null ? "" : Path.of(match).getFileName()
          .toString();
      String target;
      if (copy.parents()) {
        target = destinationClean + "/" + relative;
      } else {
        target = destinationIsDirectory ? destinationClean + "/" + name : destinationClean;
      }
      if (copy.unpack() && tree.fromContext() && isArchive(host)) {
        String dirPath = destinationIsDirectory || destination.endsWith("/")
            ? destinationClean : destinationClean;
        Path dir = ensureDirectory(dirPath, owner);
        try (InputStream in = Files.newInputStream(host)) {
          LayerExtractor.extract(in, dir, extractOptions);
        }
        continue;
      }
      String resolvedTarget = view.resolve(target, false);
      Path out = ensureParents(resolvedTarget, owner);
      copyEntry(tree, host, out, owner, copy.chmod());
    }
  }

  private static boolean excluded(List<IgnorePattern> excludes, String relative) {
    for (IgnorePattern pattern : excludes) {
      if (pattern.matches(relative)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Copies the children of {@code from}; {@code relative} is its path from the tree's root (what
   * ignore rules see), {@code inSource} its path from the copied source directory (what
   * {@code --exclude} patterns see, as in the reference builder).
   */
  private void copyChildren(SourceTree tree, Path from, String relative, String inSource, Path to,
      Optional<Owners.Owner> owner, Optional<String> chmod, List<IgnorePattern> excludes)
      throws IOException {
    String[] names;
    try (var list = Files.list(from)) {
      names = list.map(p -> p.getFileName().toString()).sorted().toArray(String[]::new);
    }
    Arrays.sort(names);
    for (String name : names) {
      String childRelative = relative.isEmpty() ? name : relative + "/" + name;
      String childInSource = inSource.isEmpty() ? name : inSource + "/" + name;
      if (excluded(excludes, childInSource) || tree.ignore().isIgnored(childRelative)) {
        continue;
      }
      Path child = from.resolve(name);
      Path target = to.resolve(name);
      if (Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
        if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
          removeExisting(target);
          Files.createDirectory(target);
        }
        copyChildren(tree, child, childRelative, childInSource, target, owner, chmod, excludes);
        applyCopiedAttributes(tree, child, target, owner, chmod);
      } else {
        copyEntry(tree, child, target, owner, chmod);
      }
    }
  }

  private void copyEntry(SourceTree tree, Path from, Path to, Optional<Owners.Owner> owner,
      Optional<String> chmod) throws IOException {
    if (Files.isDirectory(to, LinkOption.NOFOLLOW_LINKS)) {
      throw new FileOpException("cannot copy " + from.getFileName() + " over the directory "
          + view.upper().relativize(to) + " in the target");
    }
    removeExisting(to);
    if (Files.isSymbolicLink(from)) {
      Files.createSymbolicLink(to, Files.readSymbolicLink(from));
    } else if (Files.isRegularFile(from, LinkOption.NOFOLLOW_LINKS)) {
      Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
    } else {
      // Sockets, fifos and devices are not copied, as in the reference builder's COPY.
      return;
    }
    applyCopiedAttributes(tree, from, to, owner, chmod);
  }

  private void applyCopiedAttributes(SourceTree tree, Path from, Path to,
      Optional<Owners.Owner> owner, Optional<String> chmod) throws IOException {
    int mode = (Integer) Files.getAttribute(from, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    boolean link = Files.isSymbolicLink(from);
    Owners.Owner effective = owner.orElseGet(() -> {
      if (tree.fromContext()) {
        return new Owners.Owner(0, 0);
      }
      try {
        return new Owners.Owner(
            (Integer) Files.getAttribute(from, "unix:uid", LinkOption.NOFOLLOW_LINKS),
            (Integer) Files.getAttribute(from, "unix:gid", LinkOption.NOFOLLOW_LINKS));
      } catch (IOException e) {
        return new Owners.Owner(0, 0);
      }
    });
    if (chmod.isPresent() && !link) {
      mode = ModeSpec.apply(chmod.get(), mode, Files.isDirectory(from, LinkOption.NOFOLLOW_LINKS));
    }
    FileTime time = Files.getLastModifiedTime(from, LinkOption.NOFOLLOW_LINKS);
    setAttributes(to, mode, effective, time);
  }

  /** The upper directory for {@code path} (resolved), with the attributes of {@code like}. */
  private Path directoryAt(String path, Optional<Owners.Owner> owner, SourceTree tree, Path like,
      Optional<String> chmod) throws IOException {
    String resolved = view.resolve(path, true);
    Optional<Path> existing = view.locate(resolved);
    Path target = ensureParents(resolved, owner);
    if (existing.isPresent() && Files.isDirectory(existing.get(), LinkOption.NOFOLLOW_LINKS)) {
      // Copying into an existing directory keeps that directory's own attributes.
      if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectory(target);
        copyAttributes(existing.get(), target);
      }
      return target;
    }
    replaceWithDirectory(target);
    applyCopiedAttributes(tree, like, target, owner, chmod);
    return target;
  }

  private Path ensureDirectory(String path, Optional<Owners.Owner> owner) throws IOException {
    String resolved = view.resolve(path, true);
    Optional<Path> existing = view.locate(resolved);
    Path target = ensureParents(resolved, owner);
    if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      replaceWithDirectory(target);
      if (existing.isPresent() && Files.isDirectory(existing.get(), LinkOption.NOFOLLOW_LINKS)) {
        copyAttributes(existing.get(), target);
      } else {
        setAttributes(target, 040755, owner.orElse(new Owners.Owner(0, 0)), createdTime);
      }
    }
    return target;
  }

  /**
   * Makes every parent of {@code resolvedPath} exist in the upper directory, carrying the lower
   * tree's attributes for those that exist there; returns the upper path of {@code resolvedPath}.
   */
  private Path ensureParents(String resolvedPath, Optional<Owners.Owner> owner)
      throws IOException {
    List<String> parts = LayeredView.components(resolvedPath);
    Path current = view.upper();
    StringBuilder containerPath = new StringBuilder();
    for (int i = 0; i < parts.size() - 1; i++) {
      containerPath.append('/').append(parts.get(i));
      current = current.resolve(parts.get(i));
      if (Files.isDirectory(current, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      removeExisting(current);
      Files.createDirectory(current);
      Optional<Path> lower = view.lowerPath(containerPath.toString());
      if (lower.isPresent() && Files.isDirectory(lower.get(), LinkOption.NOFOLLOW_LINKS)) {
        copyAttributes(lower.get(), current);
      } else {
        setAttributes(current, 040755, owner.orElse(new Owners.Owner(0, 0)), createdTime);
      }
    }
    return parts.isEmpty() ? view.upper() : current.resolve(parts.getLast());
  }

  private static void replaceWithDirectory(Path target) throws IOException {
    if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      removeExisting(target);
      Files.createDirectory(target);
    }
  }

  private static void removeExisting(Path target) throws IOException {
    if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      io.slipway.build.snapshot.Trees.delete(target);
    } else {
      Files.deleteIfExists(target);
    }
  }

  private static void copyAttributes(Path from, Path to) throws IOException {
    setAttributes(to, (Integer) Files.getAttribute(from, "unix:mode", LinkOption.NOFOLLOW_LINKS),
        new Owners.Owner(
            (Integer) Files.getAttribute(from, "unix:uid", LinkOption.NOFOLLOW_LINKS),
            (Integer) Files.getAttribute(from, "unix:gid", LinkOption.NOFOLLOW_LINKS)),
        Files.getLastModifiedTime(from, LinkOption.NOFOLLOW_LINKS));
  }

  private static void setAttributes(Path path, int mode, Owners.Owner owner, FileTime time)
      throws IOException {
    boolean link = Files.isSymbolicLink(path);
    try {
      Files.setAttribute(path, "unix:uid", owner.uid(), LinkOption.NOFOLLOW_LINKS);
      Files.setAttribute(path, "unix:gid", owner.gid(), LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      // Only root can give files away; an unprivileged build keeps its own ids.
      if (isRoot()) {
        throw e;
      }
    }
    if (!link) {
      Files.setAttribute(path, "unix:mode", mode & 07777);
    }
    Files.getFileAttributeView(path, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
        .setTimes(time, null, null);
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  /** Lists the paths of {@code tree} matching the wildcard {@code pattern} (clean, absolute). */
  private static List<String> glob(SourceTree tree, String pattern) throws IOException {
    List<String> parts = LayeredView.components(pattern);
    List<String> current = new ArrayList<>(List.of(""));
    for (String part : parts) {
      List<String> next = new ArrayList<>();
      Pattern element = Globs.compile(part);
      for (String prefix : current) {
        Path dir = LayeredView.host(tree.root(), prefix);
        if (!Files.isDirectory(dir)) {
          continue;
        }
        try (var list = Files.list(dir)) {
          for (String name : list.map(p -> p.getFileName().toString()).sorted().toList()) {
            String path = prefix.isEmpty() ? name : prefix + "/" + name;
            if (element.matcher(name).matches() && !tree.ignore().isIgnored(path)) {
              next.add(path);
            }
          }
        }
      }
      current = next;
    }
    List<String> result = new ArrayList<>();
    for (String path : current) {
      result.add("/" + path);
    }
    return result;
  }

  /** True when {@code file} is a tar archive, plain or compressed in a format ADD extracts. */
  private static boolean isArchive(Path file) throws IOException {
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 8192)) {
      Compression compression = Compression.detect(raw);
      try (InputStream in = new BufferedInputStream(compression.decompress(raw), 8192)) {
        byte[] header = in.readNBytes(512);
        if (header.length < 512) {
          return false;
        }
        String magic = new String(header, 257, 5, StandardCharsets.US_ASCII);
        return magic.equals("ustar");
      }
    } catch (IOException e) {
      return false;
    }
  }
}
