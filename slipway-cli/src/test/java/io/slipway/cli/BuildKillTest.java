package io.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.slipway.oci.Digest;
import io.slipway.registry.RegistryConfig;
import io.slipway.registry.RegistryServer;
import io.slipway.store.blob.FileBlobStore;
import io.slipway.store.fsck.Finding;
import io.slipway.store.fsck.Fsck;
import io.slipway.store.fsck.FsckReport;
import io.slipway.store.sql.SqliteDatabase;
import io.slipway.testing.ChildJvm;
import io.slipway.testing.RequiresTool;
import io.slipway.testing.TortureTest;
import io.slipway.testing.images.TestImages;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of {@code slipway build --push} (in a child JVM, {@link BuildPushChild}) at
 * random moments, at least 50 times, over one builder root: while it starts and recovers, unpacks,
 * runs RUN steps in runc, writes layers, records the cache and pushes. After every kill the root
 * holds nothing fsck cannot repair (orphans only: the ordering rule means no record ever names
 * missing content), and the next life recovers by itself. At the end every push the child
 * acknowledged pulls completely from the registry, and rebuilding acknowledged contexts takes
 * every step from the cache and gives the same image.
 */
@TortureTest
@RequiresTool(value = {"busybox", "runc"}, debianPackage = "busybox-static runc")
class BuildKillTest {
  private static final int KILLS = Integer.getInteger("slipway.kills", 50);
  private static final Pattern ACK = Pattern.compile("(?m)^ACK (\\S+) (\\S+) (\\S+)$");
  private static final Pattern CACHED =
      Pattern.compile("manifest \\S+ \\((\\d+) of (\\d+) steps cached\\)");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path directory;

  /** One acknowledged build: its tag, image id (config digest) and context directory. */
  private record Ack(String tag, String imageId, Path context) {}

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void doesKeepEveryAcknowledgedPushAndCacheWhenKilledAtRandomMoments() throws Exception {
    long seed = Long.getLong("slipway.seed", System.nanoTime());
    System.out.println("BuildKillTest seed=" + seed + " (rerun with -Dslipway.seed=" + seed + ")");
    Random random = new Random(seed);
    Path root = directory.resolve("builder");
    Path layout = TestImages.busybox(directory.resolve("busybox")).layout();
    Map<String, Ack> acknowledged = new LinkedHashMap<>();
    long started = System.nanoTime();
    int orphansSeen = 0;

    try (RegistryServer registry =
        RegistryServer.start(RegistryConfig.defaults(directory.resolve("registry"))
            .withAddress("127.0.0.1", 0))) {
      String host = "127.0.0.1:" + registry.port();
      for (int life = 0; life < KILLS; life++) {
        Path log = directory.resolve("child-" + life + ".log");
        int before = acknowledged.size();
        ChildJvm child = ChildJvm.start(log, List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"),
            BuildPushChild.class, root.toString(), layout.toString(), host,
            Integer.toString(life));
        try {
          // Most lives die at a random moment from start-up on (recovery, unpacking, RUN, push);
          // every fourth first waits for an acknowledgement, so the run makes progress.
          if (life % 4 == 3) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (acks(child.output()).size() == 0 && System.nanoTime() < deadline
                && child.isAlive()) {
              Thread.sleep(10);
            }
            Thread.sleep(random.nextInt(800));
          } else {
            Thread.sleep(100 + random.nextInt(2400));
          }
          assertThat(child.isAlive()).as("child of life %d died by itself:\n%s", life,
              child.output()).isTrue();
        } finally {
          child.close(); // SIGKILL
        }
        for (Ack ack : acks(child.output())) {
          acknowledged.put(ack.tag(), ack);
        }
        System.out.println("BuildKillTest life " + life + ": " + (acknowledged.size() - before)
            + " acknowledged");
        if (!Files.exists(root.resolve("meta.db"))) {
          continue;
        }
        FsckReport check = fsck(root, life % 10 == 9);
        for (Finding finding : check.findings()) {
          assertThat(finding)
              .as("after kill %d (seed %d): %s", life, seed, finding.describe())
              .isInstanceOf(Finding.OrphanBlob.class);
        }
        orphansSeen += check.findings().size();
      }

      List<String> problems = new ArrayList<>();
      try (HttpClient http = HttpClient.newHttpClient()) {
        for (Ack ack : acknowledged.values()) {
          problems.addAll(pullProblems(http, registry.baseUri(), ack));
        }
      }
      System.out.println("BuildKillTest: " + KILLS + " kills, " + acknowledged.size()
          + " pushes acknowledged, " + orphansSeen + " orphans seen by fsck, "
          + (System.nanoTime() - started) / 1_000_000 + " ms");
      assertThat(problems).as("acknowledged pushes that do not pull (seed %d)", seed).isEmpty();
      assertThat(acknowledged).as("pushes acknowledged across all kills").hasSizeGreaterThan(5);
    }

    // The next build of an acknowledged context (no push) recovers the root, takes every step
    // from the cache and makes the same image.
    List<Ack> all = new ArrayList<>(acknowledged.values());
    for (int i = 0; i < 3; i++) {
      Ack ack = i == 0 ? all.getLast() : all.get(random.nextInt(all.size()));
      StringWriter err = new StringWriter();
      picocli.CommandLine command = SlipwayCommand.newCommandLine();
      command.setErr(new PrintWriter(err));
      command.setOut(new PrintWriter(new StringWriter()));
      Path iid = directory.resolve("rebuild-" + i + ".iid");
      int exit = command.execute(BuildPushChild.build(root, layout.toString(), null, iid,
          ack.context()));
      assertThat(exit).as("rebuild of %s: %s", ack.tag(), err).isZero();
      assertThat(Files.readString(iid)).as("image id of the rebuild of %s", ack.tag())
          .isEqualTo(ack.imageId());
      Matcher cached = CACHED.matcher(err.toString());
      assertThat(cached.find()).as(err.toString()).isTrue();
      assertThat(cached.group(1)).as("steps cached in the rebuild of %s: %s", ack.tag(), err)
          .isEqualTo(cached.group(2));
    }

    FsckReport repair = fsck(root, true);
    assertThat(repair.exitCode()).isLessThanOrEqualTo(FsckReport.REPAIRED);
    FsckReport after = fsck(root, false);
    assertThat(after.findings()).as("fsck after repair (seed %d)", seed).isEmpty();
  }

  private static List<Ack> acks(String output) {
    List<Ack> result = new ArrayList<>();
    Matcher matcher = ACK.matcher(output);
    while (matcher.find()) {
      result.add(new Ack(matcher.group(1), matcher.group(2), Path.of(matcher.group(3))));
    }
    return result;
  }

  static FsckReport fsck(Path root, boolean repair) throws Exception {
    try (FileBlobStore store = FileBlobStore.open(root);
        SqliteDatabase database = SqliteDatabase.open(root.resolve("meta.db"), List.of())) {
      return new Fsck(store, database, FsckCommand.indexes(database, store))
          .run(Fsck.Options.checkOnly().withRepair(repair), progress -> {});
    }
  }

  /** What is wrong with the pushed image {@code ack}: its manifest, config or a layer. */
  private static List<String> pullProblems(HttpClient http, URI registry, Ack ack)
      throws Exception {
    List<String> problems = new ArrayList<>();
    String base = registry + "/v2/" + BuildPushChild.REPOSITORY;
    HttpResponse<byte[]> manifest = http.send(
        HttpRequest.newBuilder(URI.create(base + "/manifests/" + ack.tag()))
            .header("Accept", "application/vnd.oci.image.manifest.v1+json,"
                + "application/vnd.docker.distribution.manifest.v2+json")
            .timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    if (manifest.statusCode() != 200) {
      return List.of(ack.tag() + ": manifest answered " + manifest.statusCode());
    }
    JsonNode parsed = JSON.readTree(manifest.body());
    String config = parsed.path("config").path("digest").asText();
    if (!config.equals(ack.imageId())) {
      problems.add(ack.tag() + ": config " + config + ", acknowledged " + ack.imageId());
    }
    List<String> blobs = new ArrayList<>(List.of(config));
    for (JsonNode layer : parsed.path("layers")) {
      blobs.add(layer.path("digest").asText());
    }
    for (String blob : blobs) {
      HttpResponse<byte[]> got = http.send(
          HttpRequest.newBuilder(URI.create(base + "/blobs/" + blob))
              .timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      if (got.statusCode() != 200) {
        problems.add(ack.tag() + ": blob " + blob + " answered " + got.statusCode());
      } else if (!Digest.sha256(got.body()).toString().equals(blob)) {
        problems.add(ack.tag() + ": blob " + blob + " hashes to " + Digest.sha256(got.body()));
      }
    }
    return problems;
  }
}
