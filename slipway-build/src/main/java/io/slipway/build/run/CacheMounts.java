package io.slipway.build.run;

import io.slipway.build.dockerfile.RunMount;
import io.slipway.build.snapshot.Trees;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The persistent directories behind {@code RUN --mount=type=cache}, kept under
 * {@code <state>/cache/<sha256 of id>/<n>/data} across builds, and who is using them. Sharing
 * modes follow the reference builder:
 *
 * <ul>
 *   <li>{@code shared}: every step with the id uses the same directory at the same time;
 *   <li>{@code private}: a step gets a directory no one else is using, a new one if all are busy;
 *   <li>{@code locked}: a step waits until no one else uses the directory, then has it alone.
 * </ul>
 *
 * A new directory is seeded from the mount's {@code from}/{@code source} when given, otherwise
 * created empty with the mount's mode and owner; a {@code ready} marker beside it records that this
 * finished, so a directory half-made by a crash is made again. Beside them, {@code id} holds the
 * cache id and {@code uses} grows by one byte per use (its size is the use count, its modification
 * time the last use), so {@code slipway du} can list caches and prune can pick the least used.
 * Prune removes an instance ({@link #delete}) only while no build runs on the state root, and this
 * class forgets an instance that is gone from disk.
 *
 * <p>Safe for concurrent use by the steps of one process. Waiting for a locked cache is the mount's
 * documented meaning; the monitor is released while waiting and never held during file I/O.
 * Processes sharing one state directory do not coordinate.
 */
public final class CacheMounts {

  private final Path root;
  private final Map<String, List<Instance>> byKey = new HashMap<>();

  private static final class Instance {
    final int index;
    int sharedUsers;
    boolean exclusive;

    Instance(int index) {
      this.index = index;
    }
  }

  /** Knows how to fill a new cache directory from the mount's seed, when it has one. */
  @FunctionalInterface
  interface Seed {
    /** Copies the seed's contents into {@code directory}; returns false when there is no seed. */
    boolean copyInto(Path directory) throws IOException, InterruptedException;
  }

  /** One step's use of a cache directory; closing it lets others in. */
  public final class Lease implements AutoCloseable {
    private final String key;
    private final Instance instance;
    private final Path directory;
    private boolean closed;

    private Lease(String key, Instance instance, Path directory) {
      this.key = key;
      this.instance = instance;
      this.directory = directory;
    }

    /** The directory to mount. */
    public Path directory() {
      return directory;
    }

    @Override
    public void close() {
      synchronized (CacheMounts.this) {
        if (closed) {
          return;
        }
        closed = true;
        if (instance.exclusive) {
          instance.exclusive = false;
        } else {
          instance.sharedUsers--;
        }
        CacheMounts.this.notifyAll();
      }
    }

    @Override
    public String toString() {
      return "cache " + key + "/" + instance.index;
    }
  }

  /** Cache directories under {@code root} (created when first needed). */
  public CacheMounts(Path root) {
    this.root = root;
  }

  /** Acquires the cache {@code id} for one step with the given sharing mode. */
  Lease acquire(String id, RunMount.Sharing sharing, Seed seed, int uid, int gid, int mode)
      throws IOException, InterruptedException {
    String key = key(id);
    Path keyDir = root.resolve(key);
    List<Integer> onDisk = readyInstances(keyDir);
    Instance instance;
    boolean create = false;
    synchronized (this) {
      List<Instance> instances =
          byKey.computeIfAbsent(
              key,
              k -> {
                List<Instance> known = new ArrayList<>();
                onDisk.forEach(i -> known.add(new Instance(i)));
                return known;
              });
      // Prune may have deleted an idle instance since this process last used it.
      instances.removeIf(i -> !onDisk.contains(i.index) && i.sharedUsers == 0 && !i.exclusive);
      switch (sharing) {
        case SHARED, LOCKED -> {
          instance = instances.stream().filter(i -> i.index == 0).findFirst().orElse(null);
          if (instance == null) {
            instance = new Instance(0);
            instance.exclusive = true;
            instances.add(instance);
            create = true;
          } else if (sharing == RunMount.Sharing.SHARED) {
            while (instance.exclusive) {
              wait();
            }
            instance.sharedUsers++;
          } else {
            while (instance.exclusive || instance.sharedUsers > 0) {
              wait();
            }
            instance.exclusive = true;
          }
        }
        case PRIVATE -> {
          instance =
              instances.stream()
                  .filter(i -> !i.exclusive && i.sharedUsers == 0)
                  .findFirst()
                  .orElse(null);
          if (instance == null) {
            int next = instances.stream().mapToInt(i -> i.index + 1).max().orElse(0);
            instance = new Instance(next);
            instances.add(instance);
            create = true;
          }
          instance.exclusive = true;
        }
        default -> throw new IllegalStateException("unknown sharing " + sharing);
      }
    }
    Path instanceDir = keyDir.resolve(Integer.toString(instance.index));
    Path data = instanceDir.resolve("data");
    if (create) {
      try {
        initialise(instanceDir, data, seed, uid, gid, mode);
        Files.writeString(instanceDir.resolve("id"), id, StandardCharsets.UTF_8);
      } catch (IOException | InterruptedException | RuntimeException e) {
        synchronized (this) {
          byKey.get(key).remove(instance);
          notifyAll();
        }
        throw e;
      }
      if (sharing == RunMount.Sharing.SHARED) {
        synchronized (this) {
          instance.exclusive = false;
          instance.sharedUsers++;
          notifyAll();
        }
      }
    }
    try {
      recordUse(instanceDir);
    } catch (IOException e) {
      new Lease(key, instance, data).close();
      throw e;
    }
    return new Lease(key, instance, data);
  }

  /** Appends one byte to {@code uses}: one cheap write that counts the use and dates it. */
  private static void recordUse(Path instanceDir) throws IOException {
    Files.write(instanceDir.resolve("uses"), new byte[] {'.'}, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  /**
   * One cache directory on disk, as disk usage and prune see it. Immutable.
   *
   * @param name {@code <sha256 of id>/<n>}, unique under the cache root
   * @param id the cache id, empty when it was made before ids were kept
   * @param directory the instance directory (holding {@code data/}) to measure or delete
   * @param created when it was made
   * @param lastUsed when a step last acquired it (its creation when never)
   * @param useCount how many steps acquired it
   */
  public record CacheDirectory(String name, String id, Path directory, Instant created,
      Instant lastUsed, long useCount) {}

  /** The ready cache directories under {@code root} (the executor's {@code cache} directory). */
  public static List<CacheDirectory> list(Path root) throws IOException {
    List<CacheDirectory> result = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return result;
    }
    try (var keys = Files.list(root)) {
      for (Path keyDir : (Iterable<Path>) keys::iterator) {
        String key = keyDir.getFileName().toString();
        if (!key.matches("[0-9a-f]{64}")) {
          continue;
        }
        for (int index : readyInstances(keyDir)) {
          Path dir = keyDir.resolve(Integer.toString(index));
          Path idFile = dir.resolve("id");
          Path uses = dir.resolve("uses");
          String id = Files.exists(idFile)
              ? Files.readString(idFile, StandardCharsets.UTF_8) : "";
          Path dated = Files.exists(uses) ? uses : dir.resolve("ready");
          result.add(new CacheDirectory(key + "/" + index, id, dir,
              Files.getLastModifiedTime(dir.resolve("ready")).toInstant(),
              Files.getLastModifiedTime(dated).toInstant(),
              Files.exists(uses) ? Files.size(uses) : 0));
        }
      }
    }
    result.sort(java.util.Comparator.comparing(CacheDirectory::name));
    return result;
  }

  /**
   * Deletes the instance {@code name} ({@code <sha256 of id>/<n>}) under {@code root}: first its
   * {@code ready} marker, so a crash part-way leaves a directory the next use remakes, then the
   * rest. Only while no build runs on the root. Returns false when it was already gone.
   */
  public static boolean delete(Path root, String name) throws IOException {
    if (!name.matches("[0-9a-f]{64}/[0-9]{1,8}")) {
      throw new IllegalArgumentException("not a cache mount instance name: " + name);
    }
    Path dir = root.resolve(name);
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    Files.deleteIfExists(dir.resolve("ready"));
    FileTrees.deleteRecursively(dir);
    try (var left = Files.list(dir.getParent())) {
      if (left.findAny().isEmpty()) {
        Files.deleteIfExists(dir.getParent());
      }
    } catch (java.nio.file.DirectoryNotEmptyException e) {
      // A step made a new instance meanwhile; the key directory stays.
    }
    return true;
  }

  private static void initialise(
      Path instanceDir, Path data, Seed seed, int uid, int gid, int mode)
      throws IOException, InterruptedException {
    Path ready = instanceDir.resolve("ready");
    if (Files.exists(ready)) {
      return;
    }
    if (Files.exists(data, LinkOption.NOFOLLOW_LINKS)) {
      // Left half-made by a crash.
      FileTrees.deleteRecursively(data);
    }
    Files.createDirectories(data);
    if (!seed.copyInto(data)) {
      Files.setAttribute(data, "unix:uid", uid);
      Files.setAttribute(data, "unix:gid", gid);
      Files.setAttribute(data, "unix:mode", mode & 07777);
    }
    // The marker says "made": what it vouches for is durable first, and the marker itself after.
    Trees.sync(data);
    Files.createFile(ready);
    Trees.force(instanceDir);
  }

  private static List<Integer> readyInstances(Path keyDir) throws IOException {
    List<Integer> result = new ArrayList<>();
    if (!Files.isDirectory(keyDir)) {
      return result;
    }
    try (var entries = Files.list(keyDir)) {
      for (Path entry : (Iterable<Path>) entries::iterator) {
        String name = entry.getFileName().toString();
        if (name.chars().allMatch(Character::isDigit)
            && name.length() < 9
            && Files.exists(entry.resolve("ready"))) {
          result.add(Integer.parseInt(name));
        }
      }
    }
    return result;
  }

  /** The directory name for a cache id: its sha256, so any id is a safe file name. */
  static String key(String id) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK always has SHA-256", e);
    }
  }

  /** The directory for {@code id}'s first instance, when it exists (for tests and prune). */
  public Optional<Path> directory(String id) {
    Path data = root.resolve(key(id)).resolve("0").resolve("data");
    return Files.isDirectory(data) ? Optional.of(data) : Optional.empty();
  }
}
