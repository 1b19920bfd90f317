package io.slipway.store.blob;

import io.slipway.oci.Digest;
import io.slipway.oci.DigestAlgorithm;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The {@link BlobStore} on a local filesystem, laid out as {@code ../shared/DESIGN.md} describes:
 *
 * <pre>
 * blobs/&lt;alg&gt;/&lt;first 2 hex&gt;/&lt;encoded&gt;   whole, verified, durable blobs
 * ingest/uploads/&lt;id&gt;.&lt;alg&gt;            resumable ingests (kept across restarts)
 * ingest/tmp/&lt;id&gt;                      temporary ingests (deleted when the store opens)
 * ingest/lock                           held shared by every process using the store
 * ingest/content.lock                   orders deletions against publishes and records
 * </pre>
 *
 * <p>A blob reaches {@code blobs/} only by an atomic rename of a file that was hashed while
 * written, checked against its expected digest and size and synced; the directory is synced after
 * the rename. A copy of the root taken at any instant therefore holds only whole blobs.
 *
 * <p>Safe for concurrent use by any number of threads, and by several processes sharing a root.
 * No lock is held across I/O: a resumable ingest is claimed by id (a second claimant fails fast
 * with {@link IngestInUseException}) and otherwise confined to the one {@link BlobWriter} that
 * holds it.
 */
public final class FileBlobStore implements BlobStore {

  private static final int BUFFER_SIZE = 256 * 1024;
  private static final Pattern INGEST_ID = Pattern.compile("[0-9a-f]{32}");
  private static final Pattern PREFIX = Pattern.compile("[0-9a-f]{2}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path root;
  private final Path blobs;
  private final Path uploads;
  private final Path temporary;
  private final IngestOwnership ownership;
  private final ContentLock contentLock;
  /** Null when the store could not make or read its key. */
  private final StoreKey key;
  private final AtomicBoolean closed = new AtomicBoolean();

  /** Ids of resumable ingests held by an open writer of this store. */
  private final Set<String> claimed = ConcurrentHashMap.newKeySet();
  /** Shard directories whose entry in the parent is known synced by this store. */
  private final Set<Path> durableShards = ConcurrentHashMap.newKeySet();

  /**
   * Hasher state of resumable ingests closed by this store, so resuming within the process does
   * not re-read what was already hashed. Only trusted while the file still has the same size.
   */
  private final ConcurrentHashMap<String, SuspendedHash> suspended = new ConcurrentHashMap<>();

  record SuspendedHash(MessageDigest hasher, long size) {}

  private FileBlobStore(Path root, IngestOwnership ownership, StoreKey key) {
    this.root = root;
    this.key = key;
    this.blobs = root.resolve("blobs");
    this.uploads = root.resolve("ingest").resolve("uploads");
    this.temporary = root.resolve("ingest").resolve("tmp");
    this.ownership = ownership;
    this.contentLock = ContentLock.of(root.resolve("ingest").resolve("content.lock"));
  }

  /**
   * Opens (creating if needed) the store under {@code root}. When no other process has the store
   * open, temporary ingests left by a crash are deleted; resumable ingests are kept.
   */
  public static FileBlobStore open(Path root) throws IOException {
    Objects.requireNonNull(root, "root");
    Files.createDirectories(root);
    Path real = root.toRealPath();
    for (DigestAlgorithm algorithm : DigestAlgorithm.values()) {
      Files.createDirectories(real.resolve("blobs").resolve(algorithm.ociName()));
    }
    Path ingest = real.resolve("ingest");
    Files.createDirectories(ingest.resolve("uploads"));
    Files.createDirectories(ingest.resolve("tmp"));
    syncDirectory(real.resolve("blobs"));
    syncDirectory(ingest);
    syncDirectory(real);
    IngestOwnership ownership =
        IngestOwnership.acquire(ingest.resolve("lock"), () -> cleanIngest(ingest));
    StoreKey key;
    try {
      key = StoreKey.openOrCreate(real);
      syncDirectory(real);
    } catch (IOException e) {
      // The key only saves bytes when pushing to a registry on this root; a store that cannot
      // hold one (read-only media, a damaged key file) still works, its pushes just send bytes.
      key = null;
    }
    return new FileBlobStore(real, ownership, key);
  }

  /** Deletes temporary ingests and anything in {@code uploads/} that is not a resumable ingest. */
  private static void cleanIngest(Path ingest) throws IOException {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(ingest.resolve("tmp"))) {
      for (Path entry : entries) {
        deleteRecursively(entry);
      }
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(ingest.resolve("uploads"))) {
      for (Path entry : entries) {
        if (UploadName.parse(entry.getFileName().toString()).isEmpty()
            || !Files.isRegularFile(entry)) {
          deleteRecursively(entry);
        }
      }
    }
  }

  private static void deleteRecursively(Path path) throws IOException {
    if (Files.isDirectory(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(path)) {
        for (Path entry : entries) {
          deleteRecursively(entry);
        }
      }
    }
    Files.deleteIfExists(path);
  }

  @Override
  public Optional<StoreKey> key() {
    return Optional.ofNullable(key);
  }

  /** The root directory of this store. */
  public Path root() {
    return root;
  }

  /** Where the blob with {@code digest} lives (or would live) under this store's root. */
  public Path blobPath(Digest digest) {
    return blobs
        .resolve(digest.algorithm().ociName())
        .resolve(digest.encoded().substring(0, 2))
        .resolve(digest.encoded());
  }

  @Override
  public boolean exists(Digest digest) throws IOException {
    ensureOpen();
    return Files.isRegularFile(blobPath(digest));
  }

  @Override
  public boolean renew(Digest digest) throws IOException {
    ensureOpen();
    ContentLock.Hold hold = contentLock.shared();
    try {
      Files.setLastModifiedTime(blobPath(digest), FileTime.from(Instant.now()));
      return true;
    } catch (NoSuchFileException e) {
      return false;
    } finally {
      hold.close();
    }
  }

  @Override
  public Optional<Long> size(Digest digest) throws IOException {
    ensureOpen();
    try {
      return Optional.of(Files.size(blobPath(digest)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  @Override
  public FileChannel openChannel(Digest digest) throws IOException {
    ensureOpen();
    try {
      return FileChannel.open(blobPath(digest), StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw new BlobNotFoundException(digest);
    }
  }

  @Override
  public InputStream openVerified(Digest digest) throws IOException {
    return new VerifyingInputStream(openChannel(digest), digest);
  }

  @Override
  public Digest put(InputStream content, Digest expected, long expectedSize) throws IOException {
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(expected, "expected");
    try (BlobWriter writer = newTemporaryWriter(expected.algorithm())) {
      byte[] buffer = new byte[BUFFER_SIZE];
      int read;
      while ((read = content.read(buffer)) != -1) {
        if (expectedSize >= 0 && writer.size() + read > expectedSize) {
          // Count the rest without storing it, so the error states the true length.
          long actual = writer.size() + read + content.transferTo(OutputStream.nullOutputStream());
          writer.abort();
          throw new BlobSizeMismatchException(expectedSize, actual);
        }
        writer.write(buffer, 0, read);
      }
      return writer.commit(expected, expectedSize);
    }
  }

  @Override
  public BlobWriter newWriter(DigestAlgorithm algorithm) throws IOException {
    Objects.requireNonNull(algorithm, "algorithm");
    ensureOpen();
    String id = newId();
    Path file = uploads.resolve(new UploadName(id, algorithm).fileName());
    claimed.add(id);
    FileChannel channel = null;
    try {
      channel =
          FileChannel.open(
              file,
              StandardOpenOption.CREATE_NEW,
              StandardOpenOption.READ,
              StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        throw new IngestInUseException(id);
      }
      // The caller records an upload session naming this id next; the name must survive a crash
      // before anything points at it.
      syncDirectory(uploads);
      return new FileBlobWriter(this, id, algorithm, file, channel, true, algorithm.newHasher(), 0);
    } catch (IOException | RuntimeException e) {
      claimed.remove(id);
      if (channel != null) {
        channel.close();
        Files.deleteIfExists(file);
      }
      throw e;
    }
  }

  @Override
  public BlobWriter newTemporaryWriter(DigestAlgorithm algorithm) throws IOException {
    Objects.requireNonNull(algorithm, "algorithm");
    ensureOpen();
    String id = newId();
    Path file = temporary.resolve(id);
    FileChannel channel =
        FileChannel.open(
            file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
    return new FileBlobWriter(this, id, algorithm, file, channel, false, algorithm.newHasher(), 0);
  }

  @Override
  public BlobWriter resumeWriter(String ingestId) throws IOException {
    Objects.requireNonNull(ingestId, "ingestId");
    ensureOpen();
    Optional<UploadFile> found = findUpload(ingestId);
    if (found.isEmpty()) {
      suspended.remove(ingestId);
      throw new IngestNotFoundException(ingestId);
    }
    UploadFile upload = found.get();
    if (!claimed.add(ingestId)) {
      throw new IngestInUseException(ingestId);
    }
    FileChannel channel = null;
    try {
      channel =
          FileChannel.open(upload.path(), StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        // Another store instance in this JVM holds it.
        lock = null;
      }
      if (lock == null) {
        throw new IngestInUseException(ingestId);
      }
      // A purge in another process deletes the file while holding its lock; if it got there
      // first, the lock just taken is on a file that no longer has a name.
      if (!Files.exists(upload.path())) {
        throw new IngestNotFoundException(ingestId);
      }
      long size = channel.size();
      channel.position(size);
      SuspendedHash state = suspended.remove(ingestId);
      // Within this process keep the hasher; after a restart (or if the file changed) the writer
      // re-hashes the partial file once, on first use.
      MessageDigest hasher = state != null && state.size() == size ? state.hasher() : null;
      return new FileBlobWriter(
          this, ingestId, upload.algorithm(), upload.path(), channel, true, hasher, size);
    } catch (NoSuchFileException e) {
      claimed.remove(ingestId);
      closeQuietly(channel, e);
      throw new IngestNotFoundException(ingestId);
    } catch (IOException | RuntimeException e) {
      claimed.remove(ingestId);
      closeQuietly(channel, e);
      throw e;
    }
  }

  @Override
  public Optional<IngestStatus> ingest(String ingestId) throws IOException {
    Objects.requireNonNull(ingestId, "ingestId");
    ensureOpen();
    Optional<UploadFile> found = findUpload(ingestId);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    try {
      BasicFileAttributes attributes =
          Files.readAttributes(found.get().path(), BasicFileAttributes.class);
      return Optional.of(
          new IngestStatus(
              ingestId,
              found.get().algorithm(),
              attributes.size(),
              attributes.lastModifiedTime().toInstant()));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  @Override
  public List<String> purgeIngests(Duration age) throws IOException {
    Objects.requireNonNull(age, "age");
    if (age.isNegative()) {
      throw new IllegalArgumentException("age must not be negative: " + age);
    }
    ensureOpen();
    Instant cutoff = Instant.now().minus(age);
    List<String> purged = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(uploads)) {
      for (Path entry : entries) {
        Optional<UploadName> name = UploadName.parse(entry.getFileName().toString());
        if (name.isPresent() && purgeIfIdle(name.get().id(), entry, cutoff)) {
          purged.add(name.get().id());
        }
      }
    }
    return List.copyOf(purged);
  }

  private boolean purgeIfIdle(String id, Path file, Instant cutoff) throws IOException {
    if (!claimed.add(id)) {
      return false;
    }
    try {
      Instant lastWritten;
      try {
        lastWritten = Files.getLastModifiedTime(file).toInstant();
      } catch (NoSuchFileException e) {
        return false;
      }
      if (!lastWritten.isBefore(cutoff)) {
        return false;
      }
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
        FileLock lock;
        try {
          lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
          lock = null;
        }
        if (lock == null) {
          return false;
        }
        // Delete while holding the lock so a resumer in another process either sees the file
        // gone or finds it locked.
        boolean deleted = Files.deleteIfExists(file);
        suspended.remove(id);
        return deleted;
      } catch (NoSuchFileException e) {
        return false;
      }
    } finally {
      claimed.remove(id);
    }
  }

  /**
   * The ids of every resumable ingest on disk, held or not, in no particular order: what fsck and
   * startup recovery reconcile against the upload sessions that should name them.
   */
  public List<String> ingestIds() throws IOException {
    ensureOpen();
    List<String> ids = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(uploads)) {
      for (Path entry : entries) {
        UploadName.parse(entry.getFileName().toString()).ifPresent(name -> ids.add(name.id()));
      }
    }
    return List.copyOf(ids);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Readers that already opened the blob keep reading it. A commit of the same digest that
   * finishes after this call stores the blob again; GC must keep blobs that uploads in flight
   * will reference (a grace period), since this store cannot know about them.
   */
  @Override
  public <T, E extends Exception> T recordIfPresent(Collection<Digest> blobs, Guarded<T, E> record)
      throws IOException, E {
    ensureOpen();
    ContentLock.Hold hold = contentLock.shared();
    try {
      for (Digest digest : blobs) {
        if (!exists(digest)) {
          throw new BlobNotFoundException(digest);
        }
      }
      return record.run();
    } finally {
      hold.close();
    }
  }

  @Override
  public <E extends Exception> boolean deleteIf(Digest digest, Guarded<Boolean, E> stillGarbage)
      throws IOException, E {
    ensureOpen();
    ContentLock.Hold hold = contentLock.exclusive();
    try {
      return stillGarbage.run() && delete(digest);
    } finally {
      hold.close();
    }
  }

  /** Removes a blob; false when it was not stored. Only under the exclusion of {@link #deleteIf}. */
  private boolean delete(Digest digest) throws IOException {
    Path path = blobPath(digest);
    boolean deleted = Files.deleteIfExists(path);
    if (deleted) {
      syncDirectory(path.getParent());
    }
    return deleted;
  }

  @Override
  public Stream<Digest> list() throws IOException {
    ensureOpen();
    return Stream.of(DigestAlgorithm.values())
        .flatMap(algorithm -> listDirectory(blobs.resolve(algorithm.ociName()))
            .filter(FileBlobStore::isPrefixDirectory)
            .flatMap(prefix -> listDirectory(prefix)
                .map(file -> toDigest(algorithm, prefix, file))
                .flatMap(Optional::stream)));
  }

  private static Stream<Path> listDirectory(Path directory) {
    try {
      return Files.list(directory);
    } catch (NoSuchFileException e) {
      return Stream.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + directory, e);
    }
  }

  private static boolean isPrefixDirectory(Path path) {
    return PREFIX.matcher(path.getFileName().toString()).matches() && Files.isDirectory(path);
  }

  private static Optional<Digest> toDigest(DigestAlgorithm algorithm, Path prefix, Path file) {
    String encoded = file.getFileName().toString();
    String text = algorithm.ociName() + ":" + encoded;
    if (!encoded.startsWith(prefix.getFileName().toString()) || !Digest.isValid(text)) {
      return Optional.empty();
    }
    return Optional.of(Digest.parse(text));
  }

  /**
   * Closes the store. Close writers first: a temporary ingest still being written after this
   * returns is no longer protected from cleanup by another process opening the store.
   */
  @Override
  public void close() throws IOException {
    if (closed.compareAndSet(false, true)) {
      suspended.clear();
      ownership.close();
    }
  }

  @Override
  public String toString() {
    return "FileBlobStore[" + root + "]";
  }

  // ---- used by FileBlobWriter ----

  /**
   * Moves a verified, synced ingest file into place as {@code digest}, then syncs the directory.
   *
   * <p>When another writer of the same content got there first, the rename atomically replaces
   * its file with identical bytes: the store still holds one copy, and the blob is certainly
   * present when this returns. Skipping the rename because the blob "already exists" would leave a
   * window in which a concurrent {@link #deleteIf} removes it and this commit still reports success.
   */
  void publish(Path ingestFile, Digest digest) throws IOException {
    Path target = blobPath(digest);
    Path directory = target.getParent();
    if (!durableShards.contains(directory)) {
      try {
        Files.createDirectory(directory);
      } catch (FileAlreadyExistsException e) {
        // Created earlier, or concurrently by a writer that may not have synced its parent yet.
      }
      // Synced by every writer that has not seen it synced: a shard directory another writer
      // just created is not durable until its parent is, and this blob's durability needs it.
      syncDirectory(directory.getParent());
      durableShards.add(directory);
    }
    // Shared with other publishes, exclusive of a collector's last check and delete: a blob
    // renamed into place here is either deleted before this rename or seen fresh by that check.
    ContentLock.Hold hold = contentLock.shared();
    try {
      Files.move(ingestFile, target, StandardCopyOption.ATOMIC_MOVE);
      syncDirectory(directory);
    } finally {
      hold.close();
    }
  }

  /** Forgets a resumable ingest's claim, remembering its hasher state if the writer kept it. */
  void release(String id, MessageDigest hasher, long size) {
    if (hasher != null) {
      suspended.put(id, new SuspendedHash(hasher, size));
    } else {
      suspended.remove(id);
    }
    claimed.remove(id);
  }

  /** Digest of a file's first {@code length} bytes, read once in bounded memory. */
  static MessageDigest hashFile(FileChannel channel, long length, DigestAlgorithm algorithm)
      throws IOException {
    MessageDigest hasher = algorithm.newHasher();
    ByteBuffer buffer = ByteBuffer.allocate(BUFFER_SIZE);
    long position = 0;
    while (position < length) {
      buffer.clear();
      if (length - position < buffer.capacity()) {
        buffer.limit((int) (length - position));
      }
      int read = channel.read(buffer, position);
      if (read < 0) {
        throw new IOException(
            "ingest file shrank while being hashed: expected " + length + " bytes, found "
                + position);
      }
      buffer.flip();
      hasher.update(buffer);
      position += read;
    }
    return hasher;
  }

  static void syncDirectory(Path directory) throws IOException {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  private void ensureOpen() {
    if (closed.get()) {
      throw new IllegalStateException("blob store at " + root + " is closed");
    }
  }

  private Optional<UploadFile> findUpload(String id) {
    if (!INGEST_ID.matcher(id).matches()) {
      return Optional.empty();
    }
    for (DigestAlgorithm algorithm : DigestAlgorithm.values()) {
      Path path = uploads.resolve(new UploadName(id, algorithm).fileName());
      if (Files.isRegularFile(path)) {
        return Optional.of(new UploadFile(path, algorithm));
      }
    }
    return Optional.empty();
  }

  private static String newId() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private static void closeQuietly(FileChannel channel, Exception primary) {
    if (channel == null) {
      return;
    }
    try {
      channel.close();
    } catch (IOException e) {
      primary.addSuppressed(e);
    }
  }

  private record UploadFile(Path path, DigestAlgorithm algorithm) {}

  /** The file name of a resumable ingest: {@code <id>.<algorithm>}. */
  private record UploadName(String id, DigestAlgorithm algorithm) {
    String fileName() {
      return id + "." + algorithm.ociName();
    }

    static Optional<UploadName> parse(String fileName) {
      int dot = fileName.indexOf('.');
      if (dot < 0 || !INGEST_ID.matcher(fileName.substring(0, dot)).matches()) {
        return Optional.empty();
      }
      return DigestAlgorithm.byOciName(fileName.substring(dot + 1))
          .map(algorithm -> new UploadName(fileName.substring(0, dot), algorithm));
    }
  }
}
