package io.slipway.build.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.build.cache.BuildContentIndex;
import io.slipway.build.dockerfile.DockerfileParser;
import io.slipway.build.solver.SolveListener;
import io.slipway.build.solver.SolvedVertex;
import io.slipway.oci.Descriptor;
import io.slipway.store.blob.FileBlobStore;
import io.slipway.store.fsck.Finding;
import io.slipway.store.fsck.Fsck;
import io.slipway.store.fsck.FsckReport;
import io.slipway.store.sql.SqliteDatabase;
import io.slipway.testing.RequiresTool;
import io.slipway.testing.StateCopy;
import io.slipway.testing.TortureTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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
 * A builder's state directory copied with plain file copies ({@link StateCopy}, database first)
 * at 20 random moments while builds run. Every copy opens and recovers by itself, passes fsck (its
 * findings are orphans only, which repair removes), its cache records all resolve, and rebuilding
 * a build finished before the copy began takes every step from the copied cache and gives the
 * same image. COPY steps only: RUN's durability is the same layer write and record, and RUN is
 * covered by {@code BuildKillTest} in slipway-cli.
 */
@TortureTest
@RequiresTool(value = "busybox", debianPackage = "busybox-static")
class BuildDiskSnapshotTest {
  private static final int SNAPSHOTS = 20;
  private static final int BUILDERS = 2;
  private static final String DOCKERFILE = """
      FROM busybox
      COPY base.txt /app/
      COPY iter.txt /app/
      COPY more.txt /app/more/
      """;

  @TempDir Path dir;

  /** A finished build: its context and the manifest it produced. */
  private record Built(Path context, Descriptor manifest) {}

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void doesOpenRecoverAndHitTheCacheFromEveryCopyWhenCopiedDuringBuilds() throws Exception {
    long seed = Long.getLong("slipway.seed", System.nanoTime());
    System.out.println("BuildDiskSnapshotTest seed=" + seed + " (rerun with -Dslipway.seed="
        + seed + ")");
    Random random = new Random(seed);
    Path state = dir.resolve("state");
    List<Built> built = Collections.synchronizedList(new ArrayList<>());
    List<List<Built>> builtBeforeCopy = new ArrayList<>();

    try (BuildFixture fixture = new BuildFixture(dir, state);
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      AtomicBoolean building = new AtomicBoolean(true);
      List<Future<?>> workers = new ArrayList<>();
      for (int b = 0; b < BUILDERS; b++) {
        int builder = b;
        workers.add(threads.submit(() -> {
          for (int i = 0; building.get(); i++) {
            Path context = context("b" + builder + "-" + i);
            BuildResult result = fixture.engine.build(request(context), SolveListener.NONE);
            built.add(new Built(context, result.image().manifest()));
          }
          return null;
        }));
      }
      for (int s = 0; s < SNAPSHOTS; s++) {
        Thread.sleep(100 + random.nextInt(400));
        synchronized (built) {
          builtBeforeCopy.add(List.copyOf(built));
        }
        StateCopy.copy(state, dir.resolve("copy-" + s));
      }
      building.set(false);
      for (Future<?> worker : workers) {
        worker.get(60, TimeUnit.SECONDS);
      }
    }

    int setAside = 0;
    for (int s = 0; s < SNAPSHOTS; s++) {
      Path copy = dir.resolve("copy-" + s);
      List<Built> expected = builtBeforeCopy.get(s);
      try (BuildFixture reopened = new BuildFixture(dir, copy)) {
        if (reopened.engine.recovery().setAside().isPresent()) {
          // A file copy can pair a WAL and a database from different moments (docs/durability.md);
          // the copy must still open, with its cache lost and said so.
          setAside++;
          continue;
        }
        assertThat(reopened.engine.recovery().dropped())
            .as("copy %d: records whose content is missing (seed %d)", s, seed)
            .isEmpty();
        for (Built build : sample(expected, random)) {
          BuildResult again = reopened.engine.build(request(build.context()), SolveListener.NONE);
          assertThat(again.image().manifest()).as("copy %d: rebuild of %s", s, build.context())
              .isEqualTo(build.manifest());
          assertThat(again.solution().vertices().values().stream()
                  .filter(v -> v.vertex().description().contains("COPY"))
                  .allMatch(SolvedVertex::cached))
              .as("copy %d: every COPY of %s from the cache", s, build.context())
              .isTrue();
        }
      }
      FsckReport check = fsck(copy, false);
      assertThat(check.findings())
          .as("copy %d (seed %d)", s, seed)
          .allSatisfy(f -> assertThat(f).as(f.describe()).isInstanceOf(Finding.OrphanBlob.class));
      assertThat(fsck(copy, true).exitCode()).isLessThanOrEqualTo(FsckReport.REPAIRED);
      assertThat(fsck(copy, false).exitCode()).as("copy %d after repair", s)
          .isEqualTo(FsckReport.CLEAN);
    }
    System.out.println("BuildDiskSnapshotTest: " + SNAPSHOTS + " copies, " + built.size()
        + " builds finished, " + setAside + " copies had their database set aside");
    assertThat(built).hasSizeGreaterThan(SNAPSHOTS / 2);
    assertThat(setAside).as("copies whose database had to be set aside").isLessThan(SNAPSHOTS / 4);
  }

  private Path context(String name) throws java.io.IOException {
    Path context = Files.createDirectories(dir.resolve("contexts").resolve(name));
    Files.writeString(context.resolve("base.txt"), "shared\n", StandardCharsets.UTF_8);
    Files.writeString(context.resolve("iter.txt"), name + "\n", StandardCharsets.UTF_8);
    Files.writeString(context.resolve("more.txt"), "more of " + name + "\n",
        StandardCharsets.UTF_8);
    return context;
  }

  private static BuildRequest request(Path context) {
    return BuildRequest.of(DockerfileParser.parse("Dockerfile", DOCKERFILE), context)
        .withSourceDateEpoch(BuildFixture.EPOCH);
  }

  /** The newest finished build (the one most at risk) and one more at random. */
  private static List<Built> sample(List<Built> all, Random random) {
    if (all.isEmpty()) {
      return List.of();
    }
    return List.of(all.getLast(), all.get(random.nextInt(all.size())));
  }

  private static FsckReport fsck(Path root, boolean repair) throws Exception {
    try (FileBlobStore store = FileBlobStore.open(root);
        SqliteDatabase database = SqliteDatabase.open(root.resolve("meta.db"), List.of())) {
      return new Fsck(store, database, List.of(new BuildContentIndex()))
          .run(Fsck.Options.checkOnly().withRepair(repair), progress -> {});
    }
  }
}
