package io.slipway.store.fsck;

import io.slipway.oci.Digest;
import io.slipway.store.blob.FileBlobStore;
import io.slipway.store.sql.Database;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Checks a state root: SQLite's {@code integrity_check}, every blob re-hashed in parallel, every
 * record of every {@link ContentIndex} resolved, and orphans (blobs nothing references) listed.
 * With {@link Options#repair()} it deletes corrupt and orphaned blobs and removes repairable
 * broken records; records a human must decide about stay and make the exit code 2.
 *
 * <p>One run is confined to the calling thread, which fans the hashing out to a pool of its own
 * and waits for it; the store and database it is given may be in use by a server meanwhile, which
 * is why orphans younger than {@link Options#orphanGrace()} are left alone.
 */
public final class Fsck {

  /**
   * How a run behaves. Immutable.
   *
   * @param repair delete corrupt and orphaned blobs and repairable broken records
   * @param threads how many blobs are hashed at once
   * @param orphanGrace an unreferenced blob younger than this is not an orphan yet (an upload in
   *     flight may be about to reference it); zero for a root nobody is using
   */
  public record Options(boolean repair, int threads, Duration orphanGrace) {
    public Options {
      Objects.requireNonNull(orphanGrace, "orphanGrace");
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be at least 1, got " + threads);
      }
    }

    /** Check only, one thread per processor, orphans of any age. */
    public static Options checkOnly() {
      return new Options(false, Runtime.getRuntime().availableProcessors(), Duration.ZERO);
    }

    public Options withRepair(boolean newRepair) {
      return new Options(newRepair, threads, orphanGrace);
    }

    public Options withOrphanGrace(Duration grace) {
      return new Options(repair, threads, grace);
    }
  }

  /** How far the re-hash has got, for a progress display. Immutable. */
  public record Progress(long blobsDone, long blobsTotal, long bytesDone, long bytesTotal) {}

  private static final int BUFFER = 256 * 1024;

  private final FileBlobStore store;
  private final Database database;
  private final List<ContentIndex> indexes;

  /**
   * @param store the root's blobs
   * @param database the root's metadata, or null when the root has none
   * @param indexes every module whose records point into the store
   */
  public Fsck(FileBlobStore store, Database database, List<ContentIndex> indexes) {
    this.store = Objects.requireNonNull(store, "store");
    this.database = database;
    this.indexes = List.copyOf(indexes);
  }

  /** Runs every check, reporting hashing progress to {@code progress} from pool threads. */
  public FsckReport run(Options options, Consumer<Progress> progress)
      throws IOException, SQLException, InterruptedException {
    List<Finding> findings = new ArrayList<>();
    boolean databaseHealthy = true;
    if (database != null) {
      Optional<String> problem = integrityProblem();
      if (problem.isPresent()) {
        findings.add(new Finding.DatabaseCorrupt(databaseFile(), problem.get()));
        databaseHealthy = false;
      }
    }

    List<Digest> listed;
    try (Stream<Digest> all = store.list()) {
      listed = all.toList();
    }
    Map<Digest, FileIdentity> corrupt = new ConcurrentHashMap<>();
    long[] totals = rehash(listed, options.threads(), corrupt, findings, progress);
    for (Finding finding : List.copyOf(findings)) {
      if (finding instanceof Finding.CorruptBlob bad && options.repair()) {
        // Only the file that was hashed, and under the store's content exclusion: a writer may
        // have renamed a good copy into place since, and a builder recorded it.
        boolean deleted = store.deleteIf(bad.digest(),
            () -> FileIdentity.of(bad.path()).equals(Optional.of(corrupt.get(bad.digest()))));
        if (!deleted) {
          // Replaced by a verified copy (or gone): what names it is judged by the store now.
          corrupt.remove(bad.digest());
        }
        findings.set(
            findings.indexOf(finding),
            new Finding.CorruptBlob(bad.digest(), bad.path(), bad.detail(), deleted));
      }
    }
    // Blobs committed while the run went on are present too; only corrupt ones are not.
    Predicate<Digest> stored =
        digest -> {
          if (corrupt.containsKey(digest)) {
            return false;
          }
          try {
            return store.exists(digest);
          } catch (IOException e) {
            return false;
          }
        };

    String orphanSkip = null;
    if (database == null) {
      orphanSkip = "the root has no metadata database, so nothing references its blobs";
    } else if (!databaseHealthy) {
      orphanSkip = "the metadata database is corrupt";
    } else {
      Set<String> uncovered = uncoveredSchemas();
      if (!uncovered.isEmpty()) {
        orphanSkip = "the database holds records of " + uncovered + ", which no fsck index reads";
      }
      for (ContentIndex index : indexes) {
        for (BrokenRecord record : index.brokenRecords(database, stored)) {
          boolean repaired =
              options.repair() && record.repairable() && index.repair(database, record, stored);
          findings.add(new Finding.Broken(record, repaired));
        }
      }
    }

    if (orphanSkip == null) {
      Set<Digest> referenced = new HashSet<>();
      for (ContentIndex index : indexes) {
        referenced.addAll(index.referencedBlobs(database));
      }
      Instant cutoff = Instant.now().minus(options.orphanGrace());
      UnnamedBlobDeleter deleter = new UnnamedBlobDeleter(store, database, indexes);
      for (Digest digest : listed) {
        if (referenced.contains(digest) || corrupt.containsKey(digest)) {
          continue;
        }
        Optional<Instant> modified = modified(store.blobPath(digest));
        if (modified.isEmpty() || !modified.get().isBefore(cutoff)) {
          continue;
        }
        long size = store.size(digest).orElse(0L);
        // Asked again under the store's content exclusion: with a server or a builder running, a
        // push or a record may have named it since the indexes were read.
        boolean repaired =
            options.repair() && deleter.deleteIfUnnamed(digest, cutoff, unnamed -> true);
        findings.add(new Finding.OrphanBlob(digest, size, repaired));
      }
    }
    return new FsckReport(totals[0], totals[1], findings, orphanSkip);
  }

  private long[] rehash(
      List<Digest> listed,
      int threads,
      Map<Digest, FileIdentity> corrupt,
      List<Finding> findings,
      Consumer<Progress> progress)
      throws InterruptedException, IOException {
    long bytesTotal = 0;
    for (Digest digest : listed) {
      bytesTotal += store.size(digest).orElse(0L);
    }
    long total = bytesTotal;
    AtomicLong blobsDone = new AtomicLong();
    AtomicLong bytesDone = new AtomicLong();
    List<Finding> found = java.util.Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool =
        Executors.newFixedThreadPool(
            threads, runnable -> Thread.ofPlatform().name("fsck-hash").daemon().unstarted(runnable));
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (Digest digest : listed) {
        futures.add(
            pool.submit(
                () -> {
                  Path path = store.blobPath(digest);
                  // Read before opening: a file renamed into place after this is not the one
                  // hashed, and repair must not delete it.
                  Optional<FileIdentity> identity = FileIdentity.of(path);
                  Optional<String> problem = check(path, digest, bytesDone);
                  if (problem.isPresent() && identity.isPresent()) {
                    corrupt.put(digest, identity.get());
                    found.add(new Finding.CorruptBlob(digest, path, problem.get(), false));
                  }
                  progress.accept(
                      new Progress(blobsDone.incrementAndGet(), listed.size(), bytesDone.get(),
                          total));
                  return null;
                }));
      }
      for (Future<?> future : futures) {
        try {
          future.get();
        } catch (ExecutionException e) {
          throw new IOException("re-hashing blobs failed: " + e.getCause(), e.getCause());
        }
      }
    } finally {
      pool.shutdownNow();
    }
    List<Finding> sorted = new ArrayList<>(found);
    sorted.sort(java.util.Comparator.comparing(Finding::describe));
    findings.addAll(sorted);
    return new long[] {listed.size(), bytesDone.get()};
  }

  /** Which file a path named when it was read: a rename into place gives a new one. */
  private record FileIdentity(Object key, FileTime modified) {
    static Optional<FileIdentity> of(Path path) throws IOException {
      try {
        BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
        return Optional.of(new FileIdentity(attributes.fileKey(), attributes.lastModifiedTime()));
      } catch (NoSuchFileException e) {
        return Optional.empty();
      }
    }
  }

  /** Hashes one blob file; empty when it matches its name, else what is wrong. */
  private static Optional<String> check(Path path, Digest digest, AtomicLong bytesDone)
      throws IOException {
    MessageDigest hasher = digest.algorithm().newHasher();
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
      while (channel.read(buffer) >= 0) {
        buffer.flip();
        bytesDone.addAndGet(buffer.remaining());
        hasher.update(buffer);
        buffer.clear();
      }
    } catch (NoSuchFileException e) {
      // Deleted by GC since the listing: not corruption.
      return Optional.empty();
    }
    Digest actual = Digest.fromHash(digest.algorithm(), hasher.digest());
    return actual.equals(digest) ? Optional.empty() : Optional.of("content hashes to " + actual);
  }

  private Optional<String> integrityProblem() {
    try {
      List<String> rows =
          database.read(
              connection -> {
                List<String> result = new ArrayList<>();
                try (PreparedStatement statement =
                        connection.prepareStatement("PRAGMA integrity_check");
                    ResultSet set = statement.executeQuery()) {
                  while (set.next()) {
                    result.add(set.getString(1));
                  }
                }
                return result;
              });
      return rows.equals(List.of("ok")) ? Optional.empty() : Optional.of(String.join("; ", rows));
    } catch (SQLException e) {
      return Optional.of(e.getMessage());
    }
  }

  /** Migration sets present in the database that no registered index reads. */
  private Set<String> uncoveredSchemas() throws SQLException {
    Set<String> present =
        database.read(
            connection -> {
              Set<String> result = new TreeSet<>();
              try (PreparedStatement statement =
                      connection.prepareStatement(
                          "SELECT name FROM sqlite_master WHERE type = 'table'"
                              + " AND name LIKE '%\\_schema\\_history' ESCAPE '\\'");
                  ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                  String table = rows.getString(1);
                  result.add(table.substring(0, table.length() - "_schema_history".length()));
                }
              }
              return result;
            });
    for (ContentIndex index : indexes) {
      present.remove(index.schema());
    }
    return present;
  }

  private Path databaseFile() {
    return store.root().resolve("meta.db");
  }

  private static Optional<Instant> modified(Path path) {
    try {
      return Optional.of(Files.getLastModifiedTime(path).toInstant());
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
