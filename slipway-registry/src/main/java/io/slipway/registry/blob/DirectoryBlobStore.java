package io.slipway.registry.blob;

import io.slipway.oci.Digest;
import io.slipway.oci.DigestAlgorithm;
import io.slipway.store.blob.BlobCorruptedException;
import io.slipway.store.blob.BlobDigestMismatchException;
import io.slipway.store.blob.BlobNotFoundException;
import io.slipway.store.blob.BlobSizeMismatchException;
import io.slipway.store.blob.BlobStore;
import io.slipway.store.blob.BlobWriter;
import io.slipway.store.blob.IngestNotFoundException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Blobs as files under {@code <root>/blobs/<algorithm>/<first two hex>/<hex>}, ingests under
 * {@code <root>/ingest/<id>}. Writers hash sha256 while receiving, fsync, rename atomically and
 * fsync the directory, so a blob is visible only once whole and durable. Safe for concurrent use:
 * the filesystem's atomic rename arbitrates between writers of the same content.
 */
public final class DirectoryBlobStore implements BlobStore {
  private static final Pattern INGEST_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final int COPY_BUFFER = 256 * 1024;

  private final Path blobs;
  private final Path ingest;

  private DirectoryBlobStore(Path root) {
    this.blobs = root.resolve("blobs");
    this.ingest = root.resolve("ingest");
  }

  /** Opens (creating when absent) the store under {@code root}. */
  public static DirectoryBlobStore open(Path root) throws IOException {
    DirectoryBlobStore store = new DirectoryBlobStore(root);
    Files.createDirectories(store.blobs);
    Files.createDirectories(store.ingest);
    return store;
  }

  /** The ingest directory; the registry's upload purger lists it to find abandoned files. */
  public Path ingestDirectory() {
    return ingest;
  }

  private Path pathOf(Digest digest) {
    String hex = digest.encoded();
    return blobs.resolve(digest.algorithm().ociName()).resolve(hex.substring(0, 2)).resolve(hex);
  }

  @Override
  public boolean exists(Digest digest) {
    return Files.isRegularFile(pathOf(digest));
  }

  @Override
  public Optional<Long> size(Digest digest) throws IOException {
    try {
      return Optional.of(Files.size(pathOf(digest)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  @Override
  public FileChannel openChannel(Digest digest) throws IOException {
    try {
      return FileChannel.open(pathOf(digest), StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw new BlobNotFoundException(digest);
    }
  }

  @Override
  public InputStream openVerified(Digest digest) throws IOException {
    InputStream raw = Channels.newInputStream(openChannel(digest));
    MessageDigest hasher = digest.algorithm().newHasher();
    return new FilterInputStream(raw) {
      private boolean checked;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
          hasher.update(buffer, offset, n);
        } else if (n < 0 && !checked) {
          checked = true;
          Digest actual = Digest.fromHash(digest.algorithm(), hasher.digest());
          if (!actual.equals(digest)) {
            throw new BlobCorruptedException(digest, actual);
          }
        }
        return n;
      }
    };
  }

  @Override
  public Digest put(InputStream content, Digest expected, long expectedSize) throws IOException {
    BlobWriter writer = newWriter();
    try {
      byte[] buffer = new byte[COPY_BUFFER];
      int n;
      while ((n = content.read(buffer)) >= 0) {
        writer.write(buffer, 0, n);
      }
      return writer.commit(expected, expectedSize);
    } catch (IOException | RuntimeException e) {
      writer.abort();
      throw e;
    }
  }

  @Override
  public BlobWriter newWriter() throws IOException {
    String id = UUID.randomUUID().toString();
    return new FileWriter(id, ingest.resolve(id), true);
  }

  @Override
  public BlobWriter resumeWriter(String ingestId) throws IOException {
    if (!INGEST_ID.matcher(ingestId).matches() || !Files.isRegularFile(ingest.resolve(ingestId))) {
      throw new IngestNotFoundException(ingestId);
    }
    return new FileWriter(ingestId, ingest.resolve(ingestId), false);
  }

  @Override
  public boolean delete(Digest digest) throws IOException {
    return Files.deleteIfExists(pathOf(digest));
  }

  @Override
  public Stream<Digest> list() throws IOException {
    if (!Files.isDirectory(blobs)) {
      return Stream.empty();
    }
    return Files.walk(blobs)
        .filter(Files::isRegularFile)
        .map(
            p -> p.getParent().getParent().getFileName() + ":" + p.getFileName())
        .filter(Digest::isValid)
        .map(Digest::parse);
  }

  @Override
  public void close() {}

  private static void fsyncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  /** One ingest file; confined to the upload that owns it. */
  private final class FileWriter implements BlobWriter {
    private final String id;
    private final Path path;
    private final FileChannel channel;
    private final MessageDigest sha256 = DigestAlgorithm.SHA256.newHasher();
    private long size;

    FileWriter(String id, Path path, boolean create) throws IOException {
      this.id = id;
      this.path = path;
      this.channel =
          create
              ? FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                  StandardOpenOption.READ)
              : FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.READ);
      if (!create) {
        // A resumed ingest may come from another process: rebuild the hash from what is on disk.
        size = rehash(sha256);
      }
    }

    private long rehash(MessageDigest hasher) throws IOException {
      ByteBuffer buffer = ByteBuffer.allocate(COPY_BUFFER);
      long position = 0;
      while (true) {
        buffer.clear();
        int n = channel.read(buffer, position);
        if (n < 0) {
          return position;
        }
        buffer.flip();
        hasher.update(buffer);
        position += n;
      }
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public long size() {
      return size;
    }

    @Override
    public void write(ByteBuffer bytes) throws IOException {
      ByteBuffer forHash = bytes.duplicate();
      long position = size;
      while (bytes.hasRemaining()) {
        position += channel.write(bytes, position);
      }
      sha256.update(forHash);
      size = position;
    }

    @Override
    public Digest digest(DigestAlgorithm algorithm) throws IOException {
      if (algorithm == DigestAlgorithm.SHA256) {
        try {
          return Digest.fromHash(algorithm, ((MessageDigest) sha256.clone()).digest());
        } catch (CloneNotSupportedException e) {
          throw new IllegalStateException("JDK SHA-256 is cloneable", e);
        }
      }
      // Other algorithms are rare (digest-algorithm=sha512): hash the file once at the end.
      MessageDigest hasher = algorithm.newHasher();
      rehash(hasher);
      return Digest.fromHash(algorithm, hasher.digest());
    }

    @Override
    public Digest commit(Digest expected, long expectedSize) throws IOException {
      try {
        Digest actual = digest(expected.algorithm());
        if (expectedSize >= 0 && expectedSize != size) {
          throw new BlobSizeMismatchException(expectedSize, size);
        }
        if (!actual.equals(expected)) {
          throw new BlobDigestMismatchException(expected, actual);
        }
        channel.force(true);
        channel.close();
        Path target = pathOf(expected);
        Files.createDirectories(target.getParent());
        if (Files.exists(target)) {
          Files.deleteIfExists(path);
          return expected;
        }
        try {
          Files.move(path, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
          Files.deleteIfExists(path);
          if (!Files.exists(target)) {
            throw e;
          }
        }
        fsyncDirectory(target.getParent());
        return expected;
      } catch (IOException | RuntimeException e) {
        abort();
        throw e;
      }
    }

    @Override
    public void abort() throws IOException {
      channel.close();
      Files.deleteIfExists(path);
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }
}
