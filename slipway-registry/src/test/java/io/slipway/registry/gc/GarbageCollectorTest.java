package io.slipway.registry.gc;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.oci.Digest;
import io.slipway.registry.RegistryConfig;
import io.slipway.registry.RegistryServer;
import io.slipway.registry.auth.RegistryAuth;
import io.slipway.store.fsck.BrokenRecord;
import io.slipway.store.fsck.ContentIndex;
import io.slipway.store.sql.Database;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GarbageCollectorTest {
  @TempDir Path root;

  private RegistryServer server;
  private Pusher pusher;

  private GarbageCollector start(GcPolicy policy) throws Exception {
    server =
        RegistryServer.start(
            RegistryConfig.defaults(root).withAddress("127.0.0.1", 0),
            MaintenanceConfig.defaults().withGc(policy));
    pusher = new Pusher(server.baseUri());
    return server.collector().orElseThrow();
  }

  @AfterEach
  void stop() throws Exception {
    if (pusher != null) {
      pusher.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static GcPolicy noGrace() {
    return GcPolicy.defaults().withLinkGrace(Duration.ZERO).withUnlinkedGrace(Duration.ZERO);
  }

  private boolean stored(byte[] content) throws Exception {
    return server.registry().blobs().exists(Digest.sha256(content));
  }

  @Test
  void doesSpareBlobsAnotherModuleNamesWhenGraceIsZero() throws Exception {
    byte[] named = bytes("a co-located builder's layer");
    byte[] namedLate = bytes("a builder records this after the mark");
    byte[] garbage = bytes("nobody names this");
    // Stands in for a builder sharing the root: one blob named at the mark, one only when asked
    // again just before deletion (a build recorded it in between).
    ContentIndex builder = new ContentIndex() {
      @Override
      public String schema() {
        return "build";
      }

      @Override
      public Set<Digest> referencedBlobs(Database database) {
        return Set.of(Digest.sha256(named));
      }

      @Override
      public boolean references(Database database, Digest digest) {
        return digest.equals(Digest.sha256(named)) || digest.equals(Digest.sha256(namedLate));
      }

      @Override
      public List<BrokenRecord> brokenRecords(Database database, Predicate<Digest> stored) {
        return List.of();
      }

      @Override
      public boolean repair(Database database, BrokenRecord record, Predicate<Digest> stored) {
        return false;
      }
    };
    server =
        RegistryServer.start(
            RegistryConfig.defaults(root).withAddress("127.0.0.1", 0),
            RegistryAuth.disabled(),
            MaintenanceConfig.defaults().withGc(noGrace()),
            List.of(builder));
    for (byte[] content : List.of(named, namedLate, garbage)) {
      server.registry().blobs().put(new ByteArrayInputStream(content), Digest.sha256(content),
          content.length);
    }

    GcReport report = server.collector().orElseThrow().collect(false);

    assertThat(report.blobs()).containsExactly(Digest.sha256(garbage));
    assertThat(stored(named)).isTrue();
    assertThat(stored(namedLate)).as("re-checked before deletion").isTrue();
    assertThat(stored(garbage)).isFalse();
  }

  @Test
  void doesKeepEveryTaggedImageWhenGraceIsZero() throws Exception {
    GarbageCollector gc = start(noGrace());
    Pusher.Image one = Pusher.image("one", List.of(bytes("shared"), bytes("only one")));
    Pusher.Image two = Pusher.image("two", List.of(bytes("shared"), bytes("only two")));
    pusher.push("app/one", "v1", one);
    pusher.push("app/two", "v1", two);

    GcReport report = gc.collect(false);

    assertThat(report.blobs()).as("deleted blobs").isEmpty();
    assertThat(pusher.pullProblems("app/one", "v1", one)).isEmpty();
    assertThat(pusher.pullProblems("app/two", "v1", two)).isEmpty();
  }

  @Test
  void doesDeleteBlobsOfDeletedManifestWhenGraceIsZero() throws Exception {
    GarbageCollector gc = start(noGrace());
    Pusher.Image kept = Pusher.image("kept", List.of(bytes("shared layer")));
    Pusher.Image gone = Pusher.image("gone", List.of(bytes("shared layer"), bytes("gone layer")));
    pusher.push("app", "kept", kept);
    pusher.push("other", "gone", gone);
    pusher.send("DELETE", "/v2/other/manifests/" + gone.digest(), null);

    GcReport report = gc.collect(false);

    assertThat(report.blobs())
        .contains(gone.digest(), Digest.sha256(bytes("gone layer")))
        .doesNotContain(Digest.sha256(bytes("shared layer")));
    assertThat(stored(gone.manifest())).isFalse();
    assertThat(stored(bytes("gone layer"))).isFalse();
    assertThat(pusher.pullProblems("app", "kept", kept)).isEmpty();
    assertThat(pusher.send("HEAD", "/v2/other/blobs/" + Digest.sha256(bytes("gone layer")), null)
            .statusCode())
        .as("the link went with the blob")
        .isEqualTo(404);
  }

  @Test
  void doesKeepLayersPushedWithoutManifestWhenYoungerThanLinkGrace() throws Exception {
    GarbageCollector gc = start(GcPolicy.defaults().withUnlinkedGrace(Duration.ZERO));
    pusher.pushBlob("app", bytes("manifest comes later"));

    GcReport report = gc.collect(false);

    assertThat(report.blobs()).isEmpty();
    assertThat(report.links()).isEmpty();
    assertThat(stored(bytes("manifest comes later"))).isTrue();
  }

  @Test
  void doesDeleteOnlyUntaggedManifestsTheRuleDoesNotKeepWhenRetentionIsSet() throws Exception {
    GarbageCollector gc =
        start(noGrace().withUntagged(List.of(new RetentionRule("ci/**", 1, Duration.ZERO))));
    Pusher.Image first = Pusher.image("first", List.of(bytes("a")));
    Pusher.Image second = Pusher.image("second", List.of(bytes("b")));
    Pusher.Image third = Pusher.image("third", List.of(bytes("c")));
    for (Pusher.Image image : List.of(first, second, third)) {
      pusher.push("ci/app/cache", "latest", image);
      pusher.push("prod/app", "latest", image);
      Thread.sleep(5);
    }

    GcReport report = gc.collect(false);

    assertThat(report.manifests()).containsExactly("ci/app/cache@" + first.digest());
    assertThat(pusher.send("GET", "/v2/ci/app/cache/manifests/" + second.digest(), null)
            .statusCode())
        .as("the newest untagged manifest is kept")
        .isEqualTo(200);
    assertThat(pusher.pullProblems("ci/app/cache", "latest", third)).isEmpty();
    assertThat(pusher.pullProblems("prod/app", first.digest().toString(), first))
        .as("no rule matches prod/app, so its untagged manifests stay")
        .isEmpty();
  }

  @Test
  void doesDeleteNothingWhenDryRun() throws Exception {
    GarbageCollector gc = start(noGrace());
    Pusher.Image gone = Pusher.image("gone", List.of(bytes("dry layer")));
    pusher.push("app", "v1", gone);
    pusher.send("DELETE", "/v2/app/manifests/" + gone.digest(), null);

    GcReport report = gc.collect(true);

    assertThat(report.dryRun()).isTrue();
    assertThat(report.blobs()).contains(Digest.sha256(bytes("dry layer")));
    assertThat(stored(bytes("dry layer"))).isTrue();
  }

  @Test
  void doesKeepManifestWhenOnlyItsTagIsDeleted() throws Exception {
    GarbageCollector gc = start(noGrace());
    Pusher.Image image = Pusher.image("untag", List.of(bytes("untagged layer")));
    pusher.push("app", "v1", image);

    assertThat(pusher.send("DELETE", "/v2/app/manifests/v1", null).statusCode()).isEqualTo(202);
    gc.collect(false);

    assertThat(pusher.send("GET", "/v2/app/manifests/v1", null).statusCode()).isEqualTo(404);
    assertThat(pusher.pullProblems("app", image.digest().toString(), image)).isEmpty();
  }

  @Test
  void doesSpareBlobWhenPushPinsIt() throws Exception {
    GarbageCollector gc = start(noGrace());
    byte[] layer = bytes("pinned layer");
    pusher.pushBlob("app", layer);
    pusher.send("DELETE", "/v2/app/blobs/" + Digest.sha256(layer), null);

    GcReport report;
    try (BlobPins.Pin pin = server.registry().pins().pin(Digest.sha256(layer))) {
      report = gc.collect(false);
      assertThat(pin).isNotNull();
    }

    assertThat(report.blobs()).doesNotContain(Digest.sha256(layer));
    assertThat(stored(layer)).isTrue();
    assertThat(gc.collect(false).blobs()).contains(Digest.sha256(layer));
  }
}
