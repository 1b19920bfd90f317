package io.slipway.registry.auth;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The users of an htpasswd file ({@code name:$2y$...} per line, as {@code htpasswd -B}, nginx and
 * distribution use), re-read when the file changes. Every lookup compares the file's modification
 * time, size and file key with the loaded snapshot and re-reads when they differ; the snapshot is
 * swapped atomically and no lock is held while reading, so two lookups that see a change at once
 * both read the file and the last one wins with the same content. Lines that are not bcrypt
 * entries are skipped with a warning naming the file and line. Safe for concurrent use.
 */
public final class HtpasswdFile {
  private static final Logger LOG = LoggerFactory.getLogger(HtpasswdFile.class);

  /** What one read of the file produced, and the file attributes it was read at. */
  private record Snapshot(FileTime modified, long size, Object fileKey, Map<String, String> hashes) {
    boolean isCurrent(BasicFileAttributes attributes) {
      return attributes.lastModifiedTime().equals(modified)
          && attributes.size() == size
          && Objects.equals(attributes.fileKey(), fileKey);
    }
  }

  private static final Snapshot MISSING = new Snapshot(FileTime.fromMillis(0), -1, null, Map.of());

  private final Path path;
  private volatile Snapshot snapshot;

  private HtpasswdFile(Path path, Snapshot snapshot) {
    this.path = path;
    this.snapshot = snapshot;
  }

  /**
   * Opens the file and reads it once. A file that does not exist yet holds no users; it is read as
   * soon as it appears.
   *
   * @throws IOException when the file exists but cannot be read
   */
  public static HtpasswdFile open(Path path) throws IOException {
    HtpasswdFile file = new HtpasswdFile(path, MISSING);
    file.snapshot = file.read();
    return file;
  }

  /** The file this reads. */
  public Path path() {
    return path;
  }

  /**
   * The bcrypt hash of {@code user}, re-reading the file first when it changed. When the changed
   * file cannot be read, the previous users stay in force and a warning is logged.
   */
  public Optional<String> hash(String user) {
    return Optional.ofNullable(current().hashes().get(user));
  }

  /**
   * The bcrypt cost of one of the file's entries ({@link BcryptPasswords#DEFAULT_COST} for an empty
   * file), so work spent on unknown users matches work spent on real ones.
   */
  public int typicalCost() {
    for (String hash : current().hashes().values()) {
      return Integer.parseInt(hash.substring(4, 6));
    }
    return BcryptPasswords.DEFAULT_COST;
  }

  /** True when the file holds {@code user}. */
  public boolean contains(String user) {
    return hash(user).isPresent();
  }

  private Snapshot current() {
    Snapshot loaded = snapshot;
    try {
      BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
      if (loaded.isCurrent(attributes)) {
        return loaded;
      }
      Snapshot fresh = read();
      snapshot = fresh;
      return fresh;
    } catch (NoSuchFileException e) {
      // A deleted file removes every user, as distribution does when it re-reads.
      snapshot = MISSING;
      return MISSING;
    } catch (IOException e) {
      LOG.warn("cannot re-read {}; keeping the users read before: {}", path, e.toString());
      return loaded;
    }
  }

  private Snapshot read() throws IOException {
    BasicFileAttributes before;
    try {
      before = Files.readAttributes(path, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      return MISSING;
    }
    List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8);
    Map<String, String> hashes = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int colon = line.indexOf(':');
      String hash = colon > 0 ? line.substring(colon + 1) : "";
      if (!BcryptPasswords.isBcrypt(hash)) {
        LOG.warn("{}:{}: not a bcrypt entry (user:$2y$...); that user cannot log in. Recreate it"
            + " with `slipway registry user add` or `htpasswd -B`", path, i + 1);
        continue;
      }
      hashes.put(line.substring(0, colon), hash);
    }
    // Attributes from before the read: a write racing with this read changes them again, so the
    // next lookup reads once more instead of keeping a torn snapshot.
    return new Snapshot(before.lastModifiedTime(), before.size(), before.fileKey(), Map.copyOf(hashes));
  }

  /**
   * Adds {@code user} with a bcrypt hash of {@code password}, or replaces the user's entry, keeping
   * every other line. Writes a temporary file with mode 0600, syncs it and renames it over the old
   * file, so a reader never sees half a file and a crash leaves the old or the new one.
   *
   * @throws IllegalArgumentException when the name holds a colon, whitespace or is empty, or the
   *     password is not acceptable to bcrypt
   */
  public static void putUser(Path path, String user, char[] password, int cost) throws IOException {
    if (user.isEmpty() || user.contains(":") || user.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException(
          "user name \"" + user + "\" must be non-empty without colons or whitespace");
    }
    String entry = user + ":" + BcryptPasswords.hash(password, cost);
    List<String> lines = new ArrayList<>();
    if (Files.exists(path)) {
      for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
        if (!line.startsWith(user + ":")) {
          lines.add(line);
        }
      }
    }
    lines.add(entry);
    Path dir = path.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, ".htpasswd", ".tmp",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        byte[] bytes = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
        channel.write(java.nio.ByteBuffer.wrap(bytes));
        channel.force(true);
      }
      try {
        Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, path, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
    try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
      directory.force(true);
    }
  }
}
