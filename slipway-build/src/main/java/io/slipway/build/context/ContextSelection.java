package io.slipway.build.context;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RecursiveTask;
import java.util.concurrent.TimeUnit;

/**
 * Walks a build context directory and lists what a {@link Dockerignore} keeps: relative,
 * slash-separated paths of files, directories and symlinks (not followed), sorted. A directory
 * that is ignored is not descended into unless an exception could re-include something below it;
 * the parents of every kept path are kept too. {@link #scan} adds what {@code lstat} says of each.
 * Stateless apart from a process-wide pool of walking threads; thread-safe.
 */
public final class ContextSelection {

  private ContextSelection() {}

  /** The kept paths under {@code root}. */
  public static List<String> walk(Path root, Dockerignore ignore) throws IOException {
    return scan(root, ignore).stream().map(ContextEntry::path).toList();
  }

  /**
   * Walks contexts: directories are listed and their entries stat'ed in parallel, as many at once
   * as there are processors, since a context of 20,000 files spends most of a no-change rebuild in
   * {@code lstat}. Shared by every walk of the process; idle threads end after a while.
   */
  private static final ForkJoinPool WALKERS = new ForkJoinPool(
      Math.max(1, Runtime.getRuntime().availableProcessors()),
      pool -> {
        ForkJoinWorkerThread thread =
            ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
        thread.setName("slipway-context-walk-" + thread.getPoolIndex());
        thread.setDaemon(true);
        return thread;
      },
      null, false);

  /** The kept paths under {@code root} with their attributes, sorted by path. */
  public static List<ContextEntry> scan(Path root, Dockerignore ignore) throws IOException {
    List<ContextEntry> kept;
    try {
      // One lstat per entry: it gives the type to recurse on and everything a cache key needs.
      kept = WALKERS.invoke(new DirectoryWalk(root, "", ignore, ignore.hasExceptions()));
    } catch (UncheckedIOException e) {
      // A task's failure may come back as a copy made on the joining thread, with the original
      // as its cause: the first I/O exception down the chain is the one the walk met.
      throw firstIoException(e);
    }
    // Each directory's children are listed in name order with their own entries before what is
    // below them, so the list is nearly sorted already and this sort is close to one pass; only a
    // directory before a sibling whose name extends its own with a character below '/' ("src"
    // before "src.txt": "src.txt" < "src/a") is out of place. A sorted tree of 20,000 paths cost
    // more than the lstat calls on a no-change rebuild.
    kept.sort(Comparator.comparing(ContextEntry::path));
    return List.copyOf(kept);
  }

  private static IOException firstIoException(UncheckedIOException failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof IOException io) {
        return io;
      }
    }
    return failure.getCause();
  }

  /**
   * What one directory keeps: its children in name order, each kept directory followed by what
   * it keeps. Subdirectories are walked as tasks of their own. An I/O failure is thrown as an
   * {@link UncheckedIOException}.
   */
  private static final class DirectoryWalk extends RecursiveTask<List<ContextEntry>> {
    private static final long serialVersionUID = 1L;

    private final transient Path dir;
    private final String rel;
    private final transient Dockerignore ignore;
    private final boolean exceptions;

    private DirectoryWalk(Path dir, String rel, Dockerignore ignore, boolean exceptions) {
      this.dir = dir;
      this.rel = rel;
      this.ignore = ignore;
      this.exceptions = exceptions;
    }

    @Override
    protected List<ContextEntry> compute() {
      try {
        return walk();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private List<ContextEntry> walk() throws IOException {
      List<Child> children = new ArrayList<>();
      try (DirectoryStream<Path> listing = Files.newDirectoryStream(dir)) {
        for (Path child : listing) {
          children.add(new Child(child.getFileName().toString(), child));
        }
      }
      children.sort(Comparator.comparing(Child::name));
      // Per child: its entry, and for a directory walked below it the task doing so.
      List<ContextEntry> entries = new ArrayList<>(children.size());
      List<DirectoryWalk> below = new ArrayList<>(children.size());
      List<Boolean> ignoredDirectory = new ArrayList<>(children.size());
      for (Child child : children) {
        String childRel = rel.isEmpty() ? child.name() : rel + "/" + child.name();
        ContextEntry entry = stat(child.path(), childRel);
        boolean ignored = ignore.isIgnored(childRel);
        if (entry.type() != ContextEntry.Type.DIRECTORY) {
          if (!ignored) {
            entries.add(entry);
            below.add(null);
            ignoredDirectory.add(false);
          }
          continue;
        }
        if (ignored && !exceptions) {
          // Nothing below an ignored directory can come back without an exception pattern.
          continue;
        }
        DirectoryWalk walk = new DirectoryWalk(child.path(), childRel, ignore, exceptions);
        walk.fork();
        entries.add(entry);
        below.add(walk);
        ignoredDirectory.add(ignored);
      }
      List<ContextEntry> kept = new ArrayList<>(entries.size());
      for (int i = 0; i < entries.size(); i++) {
        if (below.get(i) == null) {
          kept.add(entries.get(i));
          continue;
        }
        List<ContextEntry> keptBelow = below.get(i).join();
        // An ignored directory is kept only as the parent of something an exception brings back.
        if (!ignoredDirectory.get(i) || !keptBelow.isEmpty()) {
          kept.add(entries.get(i));
          kept.addAll(keptBelow);
        }
      }
      return kept;
    }

    /** A directory entry's name and path. */
    private record Child(String name, Path path) {}
  }

  private static final int S_IFMT = 0170000;
  private static final int S_IFREG = 0100000;
  private static final int S_IFDIR = 0040000;
  private static final int S_IFLNK = 0120000;

  /** The entry for {@code file}, named {@code path} in its context, as {@code lstat} sees it now. */
  public static ContextEntry stat(Path file, String path) throws IOException {
    // One lstat for everything a cache key and the stat-based digest reuse need.
    Map<String, Object> attributes = Files.readAttributes(
        file, "unix:mode,size,lastModifiedTime,ctime,ino", LinkOption.NOFOLLOW_LINKS);
    int mode = (Integer) attributes.get("mode");
    ContextEntry.Type type = switch (mode & S_IFMT) {
      case S_IFREG -> ContextEntry.Type.FILE;
      case S_IFDIR -> ContextEntry.Type.DIRECTORY;
      case S_IFLNK -> ContextEntry.Type.SYMLINK;
      default -> ContextEntry.Type.OTHER;
    };
    Optional<String> target = type == ContextEntry.Type.SYMLINK
        ? Optional.of(Files.readSymbolicLink(file).toString()) : Optional.empty();
    return new ContextEntry(path, type, mode,
        type == ContextEntry.Type.FILE ? (Long) attributes.get("size") : 0,
        ((FileTime) attributes.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS),
        ((FileTime) attributes.get("ctime")).to(TimeUnit.NANOSECONDS),
        (Long) attributes.get("ino"), target);
  }
}
