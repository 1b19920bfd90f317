package io.slipway.registry.gc;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.registry.RegistryConfig;
import io.slipway.registry.RegistryServer;
import io.slipway.store.fsck.FsckReport;
import io.slipway.testing.StateCopy;
import io.slipway.testing.TortureTest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What CI runners' sticky disks do: copy the state directory with plain file copies, no
 * coordination, at 20 random moments while pushes run. Each copy must open (recovering by itself),
 * serve every push acknowledged before its copy began, and pass fsck once repaired.
 *
 * <p>The copier takes the database first (WAL, then main file) and the blobs after it, as a
 * backup tool told "metadata first" would: content is durable before metadata names it, so every
 * blob the copied metadata names is already on disk when the blobs are copied. Blobs newer than
 * the copied metadata are orphans in the copy, which fsck's repair removes.
 */
@TortureTest
class DiskSnapshotTest {
  private static final int SNAPSHOTS = 20;
  private static final int PUSHERS = 3;
  private static final int CHECKED_PER_SNAPSHOT = 25;

  @TempDir Path directory;

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void doesServeAcknowledgedPushesFromEveryCopyWhenCopiedDuringPushes() throws Exception {
    long seed = Long.getLong("slipway.seed", System.nanoTime());
    System.out.println("DiskSnapshotTest seed=" + seed + " (rerun with -Dslipway.seed=" + seed + ")");
    Random random = new Random(seed);
    Path root = directory.resolve("root");
    List<byte[]> shared = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      byte[] layer = new byte[48 * 1024];
      random.nextBytes(layer);
      shared.add(layer);
    }
    List<Map.Entry<String, Pusher.Image>> acknowledged =
        Collections.synchronizedList(new ArrayList<>());
    List<List<Map.Entry<String, Pusher.Image>>> ackedBeforeCopy = new ArrayList<>();

    try (RegistryServer server =
            RegistryServer.start(RegistryConfig.defaults(root).withAddress("127.0.0.1", 0));
        Pusher pusher = new Pusher(server.baseUri());
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      AtomicBoolean pushing = new AtomicBoolean(true);
      List<Future<?>> workers = new ArrayList<>();
      for (int p = 0; p < PUSHERS; p++) {
        Random mine = new Random(random.nextLong());
        String repository = "snap/p" + p;
        workers.add(
            threads.submit(
                () -> {
                  for (int i = 0; pushing.get(); i++) {
                    byte[] unique = new byte[4 * 1024 + mine.nextInt(32 * 1024)];
                    mine.nextBytes(unique);
                    Pusher.Image image =
                        Pusher.image(repository + i,
                            List.of(shared.get(mine.nextInt(shared.size())), unique));
                    pusher.push(repository, "t" + i, image);
                    acknowledged.add(Map.entry(repository + ":t" + i, image));
                  }
                  return null;
                }));
      }
      for (int s = 0; s < SNAPSHOTS; s++) {
        Thread.sleep(100 + random.nextInt(400));
        synchronized (acknowledged) {
          ackedBeforeCopy.add(List.copyOf(acknowledged));
        }
        StateCopy.copy(root, directory.resolve("snapshot-" + s));
      }
      pushing.set(false);
      for (Future<?> worker : workers) {
        worker.get(60, TimeUnit.SECONDS);
      }
    }

    for (int s = 0; s < SNAPSHOTS; s++) {
      Path snapshot = directory.resolve("snapshot-" + s);
      List<Map.Entry<String, Pusher.Image>> expected = ackedBeforeCopy.get(s);
      List<String> problems = new ArrayList<>();
      try (RegistryServer server =
              RegistryServer.start(RegistryConfig.defaults(snapshot).withAddress("127.0.0.1", 0));
          Pusher pusher = new Pusher(server.baseUri())) {
        for (var entry : sample(expected, random)) {
          String[] nameTag = entry.getKey().split(":");
          problems.addAll(pusher.pullProblems(nameTag[0], nameTag[1], entry.getValue()));
        }
      }
      assertThat(problems)
          .as("snapshot %d of %d acknowledged pushes (seed %d)", s, expected.size(), seed)
          .isEmpty();
      assertThat(RegistryKillTest.fsck(snapshot, true).exitCode())
          .as("fsck --repair of snapshot %d", s)
          .isLessThanOrEqualTo(FsckReport.REPAIRED);
      assertThat(RegistryKillTest.fsck(snapshot, false).exitCode())
          .as("fsck of snapshot %d after repair", s)
          .isEqualTo(FsckReport.CLEAN);
    }
    System.out.println("DiskSnapshotTest: " + SNAPSHOTS + " copies, " + acknowledged.size()
        + " pushes acknowledged");
  }

  /** The newest acknowledged pushes (the ones at risk) and a random sample of the rest. */
  private static List<Map.Entry<String, Pusher.Image>> sample(
      List<Map.Entry<String, Pusher.Image>> all, Random random) {
    List<Map.Entry<String, Pusher.Image>> chosen = new ArrayList<>();
    int newest = Math.min(all.size(), CHECKED_PER_SNAPSHOT / 2);
    chosen.addAll(all.subList(all.size() - newest, all.size()));
    for (int i = 0; i < CHECKED_PER_SNAPSHOT - newest && all.size() > newest; i++) {
      chosen.add(all.get(random.nextInt(all.size() - newest)));
    }
    return chosen;
  }
}
