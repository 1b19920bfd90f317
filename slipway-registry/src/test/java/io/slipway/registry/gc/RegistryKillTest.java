package io.slipway.registry.gc;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.oci.Digest;
import io.slipway.registry.ChildRegistry;
import io.slipway.registry.meta.SqlRegistryMetadata;
import io.slipway.store.blob.FileBlobStore;
import io.slipway.store.fsck.Finding;
import io.slipway.store.fsck.Fsck;
import io.slipway.store.fsck.FsckReport;
import io.slipway.store.sql.SqliteDatabase;
import io.slipway.testing.TortureTest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of a registry in a child JVM at random moments while pushes (monolithic and
 * chunked) run against it, at least 50 times; after each kill the registry restarts on the same
 * root and recovers by itself. At the end every push the registry acknowledged pulls completely,
 * and fsck finds nothing that repair cannot fix, and nothing at all after the repair.
 */
@TortureTest
class RegistryKillTest {
  private static final int KILLS = 50;
  private static final int PUSHERS = 3;

  @TempDir Path directory;

  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void doesKeepEveryAcknowledgedPushWhenKilledAtRandomMoments() throws Exception {
    long seed = Long.getLong("slipway.seed", System.nanoTime());
    System.out.println("RegistryKillTest seed=" + seed + " (rerun with -Dslipway.seed=" + seed + ")");
    Random random = new Random(seed);
    Path root = directory.resolve("root");
    List<byte[]> shared = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      byte[] layer = new byte[64 * 1024];
      random.nextBytes(layer);
      shared.add(layer);
    }
    Map<String, Pusher.Image> acknowledged = new ConcurrentHashMap<>();
    AtomicInteger attempted = new AtomicInteger();
    long started = System.nanoTime();

    for (int kill = 0; kill < KILLS; kill++) {
      ChildRegistry child = startChild(root, "life-" + kill);
      int before = acknowledged.size();
      AtomicBoolean alive = new AtomicBoolean(true);
      try (Pusher pusher = new Pusher(child.baseUri());
          ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int p = 0; p < PUSHERS; p++) {
          Random mine = new Random(random.nextLong());
          int cycle = kill;
          int worker = p;
          threads.submit(
              () -> {
                for (int i = 0; alive.get(); i++) {
                  String repository = "kill/p" + worker;
                  String tag = "c" + cycle + "-" + i;
                  byte[] unique = new byte[8 * 1024 + mine.nextInt(64 * 1024)];
                  mine.nextBytes(unique);
                  Pusher.Image image =
                      Pusher.image(repository + tag,
                          List.of(shared.get(mine.nextInt(shared.size())), unique));
                  attempted.incrementAndGet();
                  try {
                    pushChunked(pusher, repository, unique);
                    pusher.push(repository, tag, image);
                    acknowledged.put(repository + ":" + tag, image);
                  } catch (Exception killed) {
                    return null;
                  }
                }
                return null;
              });
        }
        // A fresh JVM answers its first push slowly: kill at a random moment after the first
        // acknowledgement of this life, so every life has pushes both finished and in flight.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (acknowledged.size() <= before && System.nanoTime() < deadline) {
          Thread.sleep(10);
        }
        Thread.sleep(random.nextInt(400));
        child.kill();
        alive.set(false);
      }
    }

    List<String> problems = new ArrayList<>();
    try (ChildRegistry child = startChild(root, "check");
        Pusher pusher = new Pusher(child.baseUri())) {
      for (var entry : acknowledged.entrySet()) {
        String[] nameTag = entry.getKey().split(":");
        problems.addAll(pusher.pullProblems(nameTag[0], nameTag[1], entry.getValue()));
      }
      child.stop(Duration.ofSeconds(60));
    }
    System.out.println("RegistryKillTest: " + KILLS + " kills, " + attempted.get()
        + " pushes attempted, " + acknowledged.size() + " acknowledged, "
        + (System.nanoTime() - started) / 1_000_000 + " ms");
    assertThat(problems).as("acknowledged pushes that do not pull (seed %d)", seed).isEmpty();
    assertThat(acknowledged).as("pushes acknowledged across all kills").hasSizeGreaterThan(KILLS);

    FsckReport check = fsck(root, false);
    assertThat(check.findings())
        .as("fsck after %d kills (seed %d)", KILLS, seed)
        .allSatisfy(
            finding -> assertThat(
                    finding instanceof Finding.OrphanBlob
                        || (finding instanceof Finding.Broken broken
                            && broken.record().repairable()))
                .as(finding.describe())
                .isTrue());
    FsckReport repair = fsck(root, true);
    assertThat(repair.exitCode()).isLessThanOrEqualTo(FsckReport.REPAIRED);
    assertThat(fsck(root, false).exitCode()).isEqualTo(FsckReport.CLEAN);
  }

  /** A registry on {@code root} in a child JVM tuned for fifty quick restarts, its log per life. */
  private ChildRegistry startChild(Path root, String life) throws Exception {
    return ChildRegistry.start(root, directory.resolve(life + ".log"),
        List.of("-Xmx128m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            // Fifty restarts: a class-data archive made by the first start halves the later ones.
            "-XX:+AutoCreateSharedArchive",
            "-XX:SharedArchiveFile=" + directory.resolve("child.jsa"),
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"),
        "10");
  }

  /** POST, PATCH half, PATCH the rest, PUT: leaves sessions and ingests behind when killed. */
  private static void pushChunked(Pusher pusher, String repository, byte[] blob)
      throws Exception {
    HttpResponse<byte[]> start = pusher.send("POST", "/v2/" + repository + "/blobs/uploads/", null);
    String location = start.headers().firstValue("Location").orElseThrow();
    int half = blob.length / 2;
    pusher.send("PATCH", location, java.util.Arrays.copyOfRange(blob, 0, half),
        "Content-Range", "0-" + (half - 1), "Content-Type", "application/octet-stream");
    pusher.send("PATCH", location, java.util.Arrays.copyOfRange(blob, half, blob.length),
        "Content-Range", half + "-" + (blob.length - 1), "Content-Type",
        "application/octet-stream");
    HttpResponse<byte[]> put =
        pusher.send("PUT", location + "?digest=" + Digest.sha256(blob), null);
    if (put.statusCode() != 201) {
      throw new java.io.IOException("chunked upload: " + put.statusCode());
    }
  }

  static FsckReport fsck(Path root, boolean repair) throws Exception {
    try (FileBlobStore store = FileBlobStore.open(root);
        SqliteDatabase database =
            SqliteDatabase.open(root.resolve("meta.db"), List.of(SqlRegistryMetadata.MIGRATIONS))) {
      return new Fsck(store, database, List.<io.slipway.store.fsck.ContentIndex>of(
              new RegistryContentIndex(store)))
          .run(Fsck.Options.checkOnly().withRepair(repair), progress -> {});
    }
  }
}
