package io.slipway.build.solver;

import io.slipway.build.cache.ContextDigests;
import io.slipway.build.cache.FileDigestCache;
import io.slipway.build.context.ContextEntry;
import io.slipway.build.context.ContextSelection;
import io.slipway.build.context.Dockerignore;
import io.slipway.build.fileop.Globs;
import io.slipway.build.graph.Operation;
import io.slipway.oci.Digest;
import io.slipway.oci.DigestAlgorithm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The content checksums of the build-context files that the {@link Operation.Local} sources of one
 * build select: every kept path that an include pattern names (or lies below one), with its type,
 * permission bits, link target and, for files, size and content digest. Part of the cache key of
 * every step reading the source, so changing a file changes the key of exactly the COPY steps that
 * select it (and, through their keys, of the steps after them).
 *
 * <p>The work is shared by the build's sources: the context is walked once per set of ignore
 * rules, each file is hashed at most once, files are hashed on {@code availableProcessors}
 * threads, and a digest remembered in the {@link FileDigestCache} from an earlier build is reused
 * when {@code lstat} still gives the same size, modification time, change time and inode. A digest
 * is remembered only for a file whose times are older than the walk by more than {@link
 * #SETTLED_NANOS} and whose stat did not change while it was read: a write after the walk moves
 * the change time past the remembered one even on a file system whose clock ticks coarsely, so a
 * remembered digest never hides an edit (git's "racily clean" problem).
 *
 * <p>One instance per build; safe for concurrent use by that build's vertices. {@link #close()}
 * records what was learned and stops the hashing threads.
 */
public final class ContextChecksum implements AutoCloseable {

  /** How long a file must have been left alone before its digest is remembered. */
  static final long SETTLED_NANOS = TimeUnit.SECONDS.toNanos(2);

  private final Path contextDir;
  private final String hostPrefix;
  private final Optional<FileDigestCache> store;
  private final long startedNanos;
  private final long settleNanos;
  private final ExecutorService hashers;
  private final ConcurrentHashMap<List<String>, CompletableFuture<Walk>> scans =
      new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, CompletableFuture<Digest>> digests =
      new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, FileDigestCache.Entry> learned =
      new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Boolean> stale = new ConcurrentHashMap<>();
  private final CompletableFuture<ContextDigests> known = new CompletableFuture<>();
  private final AtomicBoolean loading =
      new AtomicBoolean();
  private final SelectionChecksums checksums;

  private ContextChecksum(Path contextDir, Optional<FileDigestCache> store, long settleNanos)
      throws IOException {
    // The real path, so one context reached through different links shares remembered digests.
    this.contextDir = Files.isDirectory(contextDir) ? contextDir.toRealPath() : contextDir;
    this.hostPrefix = this.contextDir.toAbsolutePath() + "/";
    this.store = store;
    this.startedNanos = FileTime.from(Instant.now()).to(TimeUnit.NANOSECONDS);
    this.settleNanos = settleNanos;
    this.checksums = SelectionChecksums.SHARED;
    this.hashers = Executors.newFixedThreadPool(
        Math.max(1, Runtime.getRuntime().availableProcessors()),
        Thread.ofPlatform().daemon().name("slipway-context-hash-", 0).factory());
  }

  /**
   * Checksums of {@code contextDir} for one build, reusing and recording digests in {@code store}.
   */
  public static ContextChecksum open(Path contextDir, Optional<FileDigestCache> store)
      throws IOException {
    return new ContextChecksum(contextDir, store, SETTLED_NANOS);
  }

  /** As {@link #open}, remembering files left alone for {@code settleNanos}; for tests. */
  static ContextChecksum open(Path contextDir, Optional<FileDigestCache> store, long settleNanos)
      throws IOException {
    return new ContextChecksum(contextDir, store, settleNanos);
  }

  /** The ignore rules of {@code local} (the .dockerignore patterns, then {@code --exclude}). */
  public static Dockerignore ignore(Operation.Local local) {
    return Dockerignore.parse(".dockerignore", String.join("\n", local.excludePatterns()));
  }

  /**
   * One walk of the context (sorted by path) and, index for index, the remembered entry of the
   * same path (null for none, and for what is not a file); {@code allRemembered} when every
   * remembered file is in the walk. Written once by the task that walks, then only read.
   */
  private record Walk(List<ContextEntry> entries, FileDigestCache.Entry[] previous,
      boolean allRemembered) {}

  /** The checksum of what {@code local} selects in the context. */
  public Digest of(Operation.Local local) throws IOException {
    Walk walk = scan(local);
    int[] chosen = selectIndices(walk.entries(), local.includePatterns());
    List<ContextEntry> selected = new ArrayList<>(chosen.length);
    // Start every hash first so they run in parallel, then combine them in path order. A
    // remembered digest is taken as it is: on a no-change rebuild that is every file, and
    // neither a future nor a map entry is made for it.
    Object[] contents = new Object[chosen.length];
    for (int i = 0; i < contents.length; i++) {
      ContextEntry entry = walk.entries().get(chosen[i]);
      selected.add(entry);
      if (entry.type() == ContextEntry.Type.FILE) {
        contents[i] = digest(entry, walk.previous()[chosen[i]]);
      }
    }
    Digest[] files = new Digest[contents.length];
    for (int i = 0; i < contents.length; i++) {
      if (contents[i] != null) {
        files[i] = contentDigest(contents[i]);
      }
    }
    // A rebuild that selects what an earlier build of this process did, with the same digests,
    // gets the same checksum without writing and hashing a line per entry again.
    SelectionChecksums.Key key = new SelectionChecksums.Key(hostPrefix, local.excludePatterns(),
        local.includePatterns());
    Optional<Digest> known = checksums.find(key, selected, files);
    if (known.isPresent()) {
      return known.get();
    }
    Digest checksum = lines(selected, files);
    checksums.remember(key, selected, files, checksum);
    return checksum;
  }

  /** The checksum of {@code selected} whose files have the content digests {@code files}. */
  private static Digest lines(List<ContextEntry> selected, Digest[] files) {
    MessageDigest sha = sha256();
    // One line per entry, gathered in a buffer and hashed in large pieces: tens of thousands of
    // small MessageDigest updates and byte arrays were a visible part of a no-change rebuild.
    StringBuilder lines = new StringBuilder(LINE_BATCH + 512);
    for (int i = 0; i < files.length; i++) {
      ContextEntry entry = selected.get(i);
      lines.append(entry.path()).append('\0');
      appendOctal(lines, entry.mode());
      lines.append('\0');
      switch (entry.type()) {
        case SYMLINK -> lines.append(entry.linkTarget().orElseThrow());
        case FILE -> {
          // The digest's parts rather than its string: one string fewer per file.
          Digest content = files[i];
          lines.append(entry.size()).append('\0').append(content.algorithm().ociName())
              .append(':').append(content.encoded());
        }
        case DIRECTORY, OTHER -> {}
      }
      lines.append('\n');
      if (lines.length() >= LINE_BATCH) {
        sha.update(lines.toString().getBytes(StandardCharsets.UTF_8));
        lines.setLength(0);
      }
    }
    sha.update(lines.toString().getBytes(StandardCharsets.UTF_8));
    return Digest.fromHash(DigestAlgorithm.SHA256, sha.digest());
  }

  /** Characters of checksum lines hashed at once. */
  private static final int LINE_BATCH = 32 * 1024;

  /** The digest in {@code content}: remembered, or the result of a hash started for it. */
  @SuppressWarnings("unchecked")
  private static Digest contentDigest(Object content) throws IOException {
    return content instanceof Digest digest
        ? digest : join((CompletableFuture<Digest>) content);
  }

  /** {@code Integer.toOctalString(value)}, without a string per entry. */
  private static void appendOctal(StringBuilder out, int value) {
    int shift = 30;
    while (shift > 0 && (value >>> shift) == 0) {
      shift -= 3;
    }
    for (; shift >= 0; shift -= 3) {
      out.append((char) ('0' + ((value >>> shift) & 7)));
    }
  }

  /**
   * The entries of {@code scanned} (sorted by path) that the include patterns select, in path
   * order: all of them without includes. A pattern without wildcards selects one contiguous run
   * of the sorted list (the path and everything below it), found by binary search rather than by
   * testing every path of the context once per COPY step.
   */
  static List<ContextEntry> select(List<ContextEntry> scanned, List<String> includePatterns) {
    int[] chosen = selectIndices(scanned, includePatterns);
    List<ContextEntry> selected = new ArrayList<>(chosen.length);
    for (int index : chosen) {
      selected.add(scanned.get(index));
    }
    return selected;
  }

  /** As {@link #select}, by index into {@code scanned}, ascending. */
  private static int[] selectIndices(List<ContextEntry> scanned, List<String> includePatterns) {
    if (includePatterns.isEmpty()) {
      int[] all = new int[scanned.size()];
      Arrays.setAll(all, i -> i);
      return all;
    }
    List<Predicate<String>> wildcards = new ArrayList<>();
    BitSet chosen = new BitSet(scanned.size());
    for (String include : includePatterns) {
      if (Globs.hasWildcard(include) || include.indexOf('\\') >= 0) {
        wildcards.add(selector(include));
        continue;
      }
      // Everything below `include` sorts after "include/" and before the first path that no
      // longer starts with it; `include` itself sorts before them (names like "include-x" may
      // lie between, so it is looked up on its own).
      int exact = indexOf(scanned, include);
      if (exact >= 0) {
        chosen.set(exact);
      }
      String below = include + "/";
      int from = indexOf(scanned, below);
      for (int i = from < 0 ? -from - 1 : from; i < scanned.size()
          && scanned.get(i).path().startsWith(below); i++) {
        chosen.set(i);
      }
    }
    if (!wildcards.isEmpty()) {
      for (int i = 0; i < scanned.size(); i++) {
        if (!chosen.get(i) && selected(wildcards, scanned.get(i).path())) {
          chosen.set(i);
        }
      }
    }
    return chosen.stream().toArray();
  }

  /** {@link java.util.Collections#binarySearch} by path over entries sorted by path. */
  private static int indexOf(List<ContextEntry> sorted, String path) {
    int low = 0;
    int high = sorted.size() - 1;
    while (low <= high) {
      int middle = (low + high) >>> 1;
      int order = sorted.get(middle).path().compareTo(path);
      if (order < 0) {
        low = middle + 1;
      } else if (order > 0) {
        high = middle - 1;
      } else {
        return middle;
      }
    }
    return -(low + 1);
  }

  private Walk scan(Operation.Local local) throws IOException {
    // The remembered digests are read while the context is walked, not after: both take a good
    // part of a first build, and neither needs the other until the walk is paired with them.
    if (store.isPresent() && !loading.get()) {
      CompletableFuture.runAsync(this::preload, hashers);
    }
    CompletableFuture<Walk> scan = scans.computeIfAbsent(local.excludePatterns(),
        patterns -> CompletableFuture.supplyAsync(() -> {
          try {
            return pair(ContextSelection.scan(contextDir, ignore(local)), known());
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }, hashers));
    return join(scan);
  }

  /**
   * Pairs each file of {@code entries} with the remembered entry of its path. Both are sorted by
   * path, so one merge pass does it: a hash lookup per file cost more on a no-change rebuild of a
   * large context than the rest of the pairing.
   */
  private static Walk pair(List<ContextEntry> entries, ContextDigests remembered) {
    FileDigestCache.Entry[] previous = new FileDigestCache.Entry[entries.size()];
    int next = 0;
    int found = 0;
    for (int i = 0; i < previous.length && next < remembered.size(); i++) {
      ContextEntry entry = entries.get(i);
      int order = -1;
      while (next < remembered.size()
          && (order = remembered.path(next).compareTo(entry.path())) < 0) {
        next++;
      }
      if (order == 0) {
        if (entry.type() == ContextEntry.Type.FILE) {
          previous[i] = remembered.entry(next);
          found++;
        }
        next++;
      }
    }
    return new Walk(entries, previous, found == remembered.size());
  }

  /**
   * The remembered {@link Digest} of {@code entry} when {@code previous} (what is remembered of
   * its path, or null) still matches its stat; else the future of a hash started for it.
   */
  private Object digest(ContextEntry entry, FileDigestCache.Entry previous) {
    if (previous != null && previous.matches(entry.size(), entry.modifiedNanos(),
        entry.changedNanos(), entry.inode())) {
      return previous.digest();
    }
    if (previous != null) {
      stale.put(entry.path(), Boolean.TRUE);
    }
    return digests.computeIfAbsent(entry.path(),
        path -> CompletableFuture.supplyAsync(() -> hash(entry), hashers));
  }

  /** Starts reading the remembered digests; a failure is reported to whoever needs them. */
  private void preload() {
    try {
      known();
    } catch (IOException | RuntimeException e) {
      // Kept in the future that known() completed; the vertex that needs a digest reports it.
    }
  }

  private ContextDigests known() throws IOException {
    // One query for the whole context, by whichever vertex asks first; the others wait for it
    // (no lock is held across the query). A build reading no context never asks.
    if (loading.compareAndSet(false, true)) {
      try {
        known.complete(
            store.isPresent() ? store.get().under(hostPrefix) : ContextDigests.empty());
      } catch (IOException | RuntimeException e) {
        known.completeExceptionally(e instanceof IOException io ? new UncheckedIOException(io) : e);
      }
    }
    return join(known);
  }

  private Digest hash(ContextEntry entry) {
    Path file = contextDir.resolve(entry.path());
    MessageDigest sha = sha256();
    ByteBuffer buffer = ByteBuffer.allocate(256 * 1024);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ,
        LinkOption.NOFOLLOW_LINKS)) {
      while (channel.read(buffer.clear()) > 0) {
        sha.update(buffer.flip());
      }
      Digest digest = Digest.fromHash(DigestAlgorithm.SHA256, sha.digest());
      if (settled(entry) && unchanged(file, entry)) {
        learned.put(entry.path(), new FileDigestCache.Entry(hostPrefix + entry.path(),
            entry.size(), entry.modifiedNanos(), entry.changedNanos(), entry.inode(), digest));
      }
      return digest;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private boolean settled(ContextEntry entry) {
    return entry.changedNanos() < startedNanos - settleNanos
        && entry.modifiedNanos() < startedNanos - settleNanos;
  }

  /** True when the file still has the stat it had when the context was walked. */
  private static boolean unchanged(Path file, ContextEntry entry) throws IOException {
    ContextEntry now = ContextSelection.stat(file, entry.path());
    return now.size() == entry.size() && now.modifiedNanos() == entry.modifiedNanos()
        && now.changedNanos() == entry.changedNanos() && now.inode() == entry.inode();
  }

  /** What an include pattern with wildcards selects: the paths it matches and everything below. */
  private static Predicate<String> selector(String include) {
    Pattern pattern = Globs.compile(include);
    return path -> {
      String candidate = path;
      while (true) {
        if (pattern.matcher(candidate).matches()) {
          return true;
        }
        int slash = candidate.lastIndexOf('/');
        if (slash < 0) {
          return false;
        }
        candidate = candidate.substring(0, slash);
      }
    };
  }

  /** True when an include selects {@code path} (or there are no includes). */
  private static boolean selected(List<Predicate<String>> includes, String path) {
    if (includes.isEmpty()) {
      return true;
    }
    for (Predicate<String> include : includes) {
      if (include.test(path)) {
        return true;
      }
    }
    return false;
  }

  private static <T> T join(CompletableFuture<T> future) throws IOException {
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof UncheckedIOException io) {
        throw io.getCause();
      }
      throw e;
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /**
   * Records the digests learned by this build (and forgets remembered ones that no longer match)
   * and stops the hashing threads. A build that learned nothing, found nothing stale and walked
   * every remembered file writes nothing.
   */
  @Override
  public void close() throws IOException {
    hashers.shutdownNow();
    if (store.isEmpty() || !known.isDone() || known.isCompletedExceptionally()) {
      return;
    }
    ContextDigests remembered = known.join();
    List<Walk> walked = new ArrayList<>();
    for (CompletableFuture<Walk> scan : scans.values()) {
      if (scan.isDone() && !scan.isCompletedExceptionally()) {
        walked.add(scan.join());
      }
    }
    if (learned.isEmpty() && stale.isEmpty() && walked.stream().anyMatch(Walk::allRemembered)) {
      return;
    }
    Set<String> present = new HashSet<>();
    walked.forEach(walk -> walk.entries().forEach(entry -> present.add(entry.path())));
    List<String> forget = new ArrayList<>();
    for (int i = 0; i < remembered.size(); i++) {
      String path = remembered.path(i);
      // Gone from the context, or changed and not safe to remember again yet.
      if (!present.contains(path) || (stale.containsKey(path) && !learned.containsKey(path))) {
        forget.add(path);
      }
    }
    store.get().update(hostPrefix, learned.values(), forget);
  }
}
