package io.slipway.registry.gc;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.oci.Digest;
import io.slipway.registry.RegistryConfig;
import io.slipway.registry.RegistryServer;
import io.slipway.store.blob.FileBlobStore;
import io.slipway.store.fsck.Finding;
import io.slipway.store.fsck.Fsck;
import io.slipway.store.fsck.FsckReport;
import io.slipway.store.sql.SqliteDatabase;
import io.slipway.registry.meta.SqlRegistryMetadata;
import io.slipway.testing.TortureTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The race distribution documents as unsafe: GC every few hundred milliseconds, with no grace for
 * unlinked blobs, while images sharing layers are pushed, and while other pushes of the same
 * layers are deleted again (so those layers keep becoming garbage just as someone pushes them).
 * Afterwards every image acknowledged to a keeper pulls completely and fsck finds nothing broken.
 */
@TortureTest
class GcRaceTest {
  private static final int KEEPERS = 4;
  private static final int IMAGES_PER_KEEPER = 12;
  private static final int CHURNERS = 2;
  private static final int CHURN_CYCLES = 15;

  @TempDir Path root;

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void doesKeepEveryAcknowledgedImageWhenGcRunsDuringPushes() throws Exception {
    long seed = Long.getLong("slipway.seed", System.nanoTime());
    System.out.println("GcRaceTest seed=" + seed + " (rerun with -Dslipway.seed=" + seed + ")");
    Random random = new Random(seed);
    List<byte[]> shared = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      byte[] layer = new byte[16 * 1024 + random.nextInt(32 * 1024)];
      random.nextBytes(layer);
      shared.add(layer);
    }
    GcPolicy policy = GcPolicy.defaults().withUnlinkedGrace(Duration.ZERO);
    Map<String, Pusher.Image> acknowledged = new ConcurrentHashMap<>();
    AtomicInteger collections = new AtomicInteger();
    AtomicInteger deletedBlobs = new AtomicInteger();

    try (RegistryServer server =
            RegistryServer.start(
                RegistryConfig.defaults(root).withAddress("127.0.0.1", 0),
                MaintenanceConfig.defaults().withGc(policy));
        Pusher pusher = new Pusher(server.baseUri())) {
      GarbageCollector gc = server.collector().orElseThrow();
      AtomicBoolean pushing = new AtomicBoolean(true);
      ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
      Random gcRandom = new Random(random.nextLong());
      Future<?> collector =
          threads.submit(
              () -> {
                while (pushing.get()) {
                  deletedBlobs.addAndGet(gc.collect(false).blobs().size());
                  collections.incrementAndGet();
                  Thread.sleep(100 + gcRandom.nextInt(300));
                }
                return null;
              });
      List<Future<?>> workers = new ArrayList<>();
      for (int k = 0; k < KEEPERS; k++) {
        Random mine = new Random(random.nextLong());
        String repository = "keep/k" + k;
        workers.add(
            threads.submit(
                () -> {
                  for (int i = 0; i < IMAGES_PER_KEEPER; i++) {
                    Pusher.Image image = Pusher.image(repository + "-" + i, pick(shared, mine));
                    pusher.push(repository, "t" + i, image);
                    acknowledged.put(repository + ":t" + i, image);
                  }
                  return null;
                }));
      }
      for (int c = 0; c < CHURNERS; c++) {
        Random mine = new Random(random.nextLong());
        String repository = "churn/c" + c;
        workers.add(
            threads.submit(
                () -> {
                  for (int i = 0; i < CHURN_CYCLES; i++) {
                    Pusher.Image image = Pusher.image(repository + "-" + i, pick(shared, mine));
                    pusher.push(repository, "t", image);
                    pusher.send("DELETE", "/v2/" + repository + "/manifests/" + image.digest(), null);
                    for (byte[] layer : image.layers()) {
                      pusher.send("DELETE", "/v2/" + repository + "/blobs/" + Digest.sha256(layer),
                          null);
                    }
                    pusher.send("DELETE",
                        "/v2/" + repository + "/blobs/" + Digest.sha256(image.config()), null);
                  }
                  return null;
                }));
      }
      for (Future<?> worker : workers) {
        worker.get(150, TimeUnit.SECONDS);
      }
      pushing.set(false);
      collector.get(30, TimeUnit.SECONDS);
      threads.shutdown();
      deletedBlobs.addAndGet(gc.collect(false).blobs().size());

      assertThat(acknowledged).hasSize(KEEPERS * IMAGES_PER_KEEPER);
      List<String> problems = new ArrayList<>();
      for (var entry : acknowledged.entrySet()) {
        String[] nameTag = entry.getKey().split(":");
        problems.addAll(pusher.pullProblems(nameTag[0], nameTag[1], entry.getValue()));
      }
      System.out.println("GcRaceTest: " + collections.get() + " collections deleted "
          + deletedBlobs.get() + " blobs during " + acknowledged.size() + " kept pushes");
      assertThat(problems).as("images that do not pull completely (seed %d)", seed).isEmpty();
      assertThat(collections.get()).as("collections during the pushes").isGreaterThan(3);
      assertThat(deletedBlobs.get()).as("garbage actually collected").isPositive();
    }

    try (FileBlobStore store = FileBlobStore.open(root);
        SqliteDatabase database =
            SqliteDatabase.open(root.resolve("meta.db"), List.of(SqlRegistryMetadata.MIGRATIONS))) {
      FsckReport report =
          new Fsck(store, database, List.of(new RegistryContentIndex(store)))
              .run(Fsck.Options.checkOnly(), progress -> {});
      assertThat(report.findings().stream().filter(f -> !(f instanceof Finding.OrphanBlob)))
          .as("fsck after the race (seed %d)", seed)
          .isEmpty();
    }
  }

  private static List<byte[]> pick(List<byte[]> shared, Random random) {
    List<byte[]> layers = new ArrayList<>();
    layers.add(shared.get(random.nextInt(shared.size())));
    byte[] second = shared.get(random.nextInt(shared.size()));
    if (second != layers.get(0)) {
      layers.add(second);
    }
    byte[] unique = new byte[1024];
    random.nextBytes(unique);
    layers.add(unique);
    return layers;
  }
}
